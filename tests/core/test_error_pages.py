"""SPEC §4 "Bad input": 400, 403, 404 and 500 answer a French page, never a stack trace (DEBUG=0)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = {
    400: ("Requête invalide", "La requête envoyée n&#x27;a pas pu être comprise."),
    403: ("Accès refusé", "Vous n&#x27;avez pas accès à cette page."),
    404: ("Page non trouvée", "La page que vous cherchez est introuvable."),
    500: ("Erreur inattendue", "Le service rencontre une difficulté. Veuillez réessayer plus tard."),
}


@pytest.fixture
def client_of_errors(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("status", sorted(PAGES))
def test_spec_4_error_pages_are_french_without_a_trace(client_of_errors, status):
    response = client_of_errors.get(f"/erreur/{status}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    title, text = PAGES[status]
    assert f"<h1>{title}</h1>" in page and text in page
    assert 'lang="fr"' in page and f"Erreur {status}" in page and "Page de connexion" in page
    for leak in ("Traceback", "panne interne de test", "en-tête forgé", "Bad Request", "Forbidden", "Not Found"):
        assert leak not in page
    assert "Server Error" not in page


@pytest.mark.parametrize("status", sorted(PAGES))
def test_spec_4_error_pages_keep_the_security_headers(client_of_errors, status):
    response = client_of_errors.get(f"/erreur/{status}")
    assert "object-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_spec_4_csrf_failure_is_a_french_page(client_of_errors):
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = strict.post("/", {"email": "lila@exemple.fr", "password": "x"})
    assert response.status_code == 403
    assert "Session expirée" in response.content.decode()


LOGIN = {"email": "lila@exemple.fr", "password": "x"}


def test_csrf_failure_of_the_origin_check_says_the_address_is_not_trusted(client_of_errors):
    """Issue 13 item 9: behind the local nginx of the certificate trial (https://localhost:8443)
    every form failed with a page that blamed cookies; the origin check was what failed."""
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    page = strict.post("/", LOGIN, HTTP_ORIGIN="https://localhost:8443").content.decode()
    assert "<h1>Formulaire refusé</h1>" in page and "cookies" not in page
    assert "(https://localhost:8443) ne fait pas partie des origines de confiance du service" in page
    assert "CSRF_TRUSTED_ORIGINS" in page
    # Over HTTPS without Origin, Django checks the Referer: the same cause, the same sentence.
    page = strict.post("/", LOGIN, secure=True, HTTP_REFERER="https://ailleurs.example/page").content.decode()
    assert "(https://ailleurs.example) ne fait pas partie des origines de confiance" in page


def test_csrf_failure_without_a_referer_over_https_says_so(client_of_errors):
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for extra in ({}, {"HTTP_REFERER": "pas une adresse"}):
        response = strict.post("/", LOGIN, secure=True, **extra)
        page = response.content.decode()
        assert response.status_code == 403 and "n&#x27;a pas indiqué de quelle page du site il venait" in page


def test_csrf_failure_of_the_token_still_speaks_of_the_session(client_of_errors):
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    page = strict.post("/", LOGIN, HTTP_ORIGIN="http://testserver").content.decode()  # a trusted origin
    assert "Session expirée" in page and "origines de confiance" not in page
