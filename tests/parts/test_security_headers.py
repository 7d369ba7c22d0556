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
    settings.ROOT_URLCONF = "tests.parts.urls_errors"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    return Client(raise_request_exception=False, enforce_csrf_checks=True)


CASES = [
    ("bad Host header", "get", "/", {"HTTP_HOST": "evil.example"}, 400, "Requête invalide"),
    ("suspicious request", "get", "/essai/400", {}, 400, "Requête invalide"),
    ("permission denied", "get", "/essai/403", {}, 403, "Accès refusé"),
    ("unknown page", "get", "/nulle-part", {}, 404, "Page non trouvée"),
    ("server error", "get", "/essai/500", {}, 500, "Erreur inattendue"),
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


def django_csp_header(request, response):
    """The header django-csp's own middleware writes for this request and response."""
    from csp.middleware import CSPMiddleware

    answered = CSPMiddleware(lambda request: response).process_response(request, response)
    return answered.get("Content-Security-Policy")


def test_the_site_policy_built_once_is_the_one_django_csp_builds(rf, settings):
    from django.http import HttpResponse

    from core.headers import CSPMiddleware

    middleware = CSPMiddleware(lambda request: HttpResponse())
    ours = middleware.process_response(rf.get("/"), HttpResponse())["Content-Security-Policy"]
    assert ours == django_csp_header(rf.get("/"), HttpResponse())
    assert "script-src 'self'" in ours and "nonce" not in ours
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    again = middleware.process_response(rf.get("/"), HttpResponse())["Content-Security-Policy"]
    assert again == "default-src 'none'"  # another setting, another policy


def test_a_response_with_a_policy_of_its_own_gets_django_csp_s_path(rf, settings):
    from csp.constants import NONCE, SELF
    from csp.decorators import csp_exempt, csp_update
    from django.http import HttpResponse

    from core.headers import CSPMiddleware

    @csp_update({"img-src": ["https://carte.exemple.fr"]})
    def with_map(request):
        return HttpResponse()

    @csp_exempt()
    def exempt(request):
        return HttpResponse()

    middleware = CSPMiddleware(lambda request: HttpResponse())
    request = rf.get("/")
    mapped = middleware.process_response(request, with_map(request))
    assert "https://carte.exemple.fr" in mapped["Content-Security-Policy"]
    assert "Content-Security-Policy" not in middleware.process_response(request, exempt(request))
    settings.DEBUG = True  # Django's debug 404 and 500 pages have inline styles: no policy, as django-csp
    assert "Content-Security-Policy" not in middleware.process_response(rf.get("/"), HttpResponse(status=404))
    settings.DEBUG = False
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}  # a page that wants one
    nonce_request = rf.get("/")
    middleware.process_request(nonce_request)
    nonce = str(nonce_request.csp_nonce)
    assert f"'nonce-{nonce}'" in middleware.process_response(nonce_request, HttpResponse())["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF]}, "EXCLUDE_URL_PREFIXES": ["/sante"]}
    assert "Content-Security-Policy" not in middleware.process_response(rf.get("/sante"), HttpResponse())


def test_a_nonce_asked_after_the_header_is_an_error(rf):
    from csp.exceptions import CSPNonceError
    from django.http import HttpResponse

    from core.headers import CSPMiddleware

    request = rf.get("/")
    middleware = CSPMiddleware(lambda request: HttpResponse())
    middleware.process_request(request)
    middleware.process_response(request, HttpResponse())
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
