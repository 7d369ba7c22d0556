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
