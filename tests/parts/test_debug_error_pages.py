"""Issue 13 item 9: under `make run` (DEBUG=1) a person meets the French error pages too;
DEBUG_TECHNICAL_PAGES=1 brings Django's technical pages back (docs/decisions.md)."""

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_PAGES = False
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    return settings


def page(path):
    response = Client(raise_request_exception=False).get(path)  # a new client loads the middleware
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    "path, status, title",
    [
        ("/nulle-part", 404, "Page non trouvée"),  # no URL matches
        ("/erreur/404", 404, "Page non trouvée"),  # a view raises Http404
        ("/erreur/400", 400, "Requête invalide"),
        ("/erreur/403", 403, "Accès refusé"),
        ("/erreur/500", 500, "Erreur inattendue"),
    ],
)
def test_under_debug_the_error_pages_are_the_french_ones(debug, path, status, title):
    code, text = page(path)
    assert code == status and f"<h1>{title}</h1>" in text and 'lang="fr"' in text
    for technical in ("Using the URLconf", "Traceback", "panne interne de test", "DEBUG = True"):
        assert technical not in text


def test_under_debug_a_500_is_still_logged_with_its_trace(debug, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert page("/erreur/500")[0] == 500
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert "Internal Server Error: /erreur/500" in record.getMessage() and record.exc_info


def test_a_view_that_answers_404_itself_keeps_its_answer(debug):
    response = Client().post("/captcha/inconnue/prolonger")  # "Plus de temps" for a key gone
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert "Cette image a expiré" in response.json()["error"]


def test_debug_technical_pages_brings_django_s_pages_back(debug):
    debug.DEBUG_TECHNICAL_PAGES = True
    code, text = page("/nulle-part")
    assert code == 404 and "Using the URLconf" in text
    assert "panne interne de test" in page("/erreur/500")[1]
