"""SPEC §4 headers: every dynamic response, error pages included, carries no-store,
Permissions-Policy, CSP and X-Frame-Options (DEBUG=0); whitenoise's static files keep
their own caching.

Before: the 400 for a bad Host header (DisallowedHost, raised by CommonMiddleware, above
XFrameOptionsMiddleware) had no X-Frame-Options, and no response had Cache-Control or
Permissions-Policy."""

import pytest
from django.test import Client

from core.headers import PERMISSIONS_POLICY

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_debug0(settings):
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    return Client(raise_request_exception=False, enforce_csrf_checks=True)


CASES = [
    ("bad Host header", "get", "/", {"HTTP_HOST": "evil.example"}, 400, "Requête invalide"),
    ("suspicious request", "get", "/erreur/400", {}, 400, "Requête invalide"),
    ("permission denied", "get", "/erreur/403", {}, 403, "Accès refusé"),
    ("unknown page", "get", "/nulle-part", {}, 404, "Page non trouvée"),
    ("server error", "get", "/erreur/500", {}, 500, "Erreur inattendue"),
    ("CSRF failure", "post", "/essai/formulaire", {}, 403, "Session expirée"),
    ("home page", "get", "/", {}, 200, ""),
    ("health", "get", "/sante", {}, 200, ""),
]


@pytest.mark.parametrize("name, method, url, extra, status, title", CASES, ids=[case[0] for case in CASES])
def test_every_dynamic_response_has_the_security_headers(client_debug0, name, method, url, extra, status, title):
    response = getattr(client_debug0, method)(url, **extra)
    assert response.status_code == status
    assert response["Cache-Control"] == "no-store"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "nonce" not in csp  # every script is a file of the site
    assert title in response.content.decode()  # the French error page, never a stack trace


def test_permissions_policy_switches_off_the_powerful_features():
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in PERMISSIONS_POLICY


def test_static_files_keep_whitenoise_caching(client_debug0):
    response = client_debug0.get("/static/core/css/espace.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"] and "Permissions-Policy" not in response


def test_a_view_that_chose_its_caching_or_framing_keeps_it(client_debug0):
    assert client_debug0.get("/essai/cache")["Cache-Control"] == "max-age=60, public"
    assert "X-Frame-Options" not in client_debug0.get("/essai/cadre")
