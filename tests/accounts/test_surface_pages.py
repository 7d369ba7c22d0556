"""What a person meets, through the Django test client: the static pages, the French error pages (405 too),
the step 3 draft kept on "Étape précédente", the base form's DSFR markup."""

import pytest
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.middleware import MethodNotAllowedPageMiddleware
from accounts.forms import RegistrationForm
from codes.forms import ActivationEmailForm
from core.views import errors
from tests.accounts import journey
from tests.factories import TRUST_ANSWER

pytestmark = pytest.mark.django_db

PAGES = {
    "/aide": "Aide : les démarches pas à pas",
    "/accessibilite": "Déclaration d'accessibilité",
    "/mentions-legales": "Mentions légales",
    "/donnees-personnelles": "Données personnelles",
}


@pytest.mark.parametrize("url", PAGES)
def test_static_pages_are_real_french_pages_linked_from_the_footer(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{PAGES[url]}</h1>" in html
    assert f'href="{url}"' in html  # every one is in the footer
    assert client.post(url).status_code == 405


def test_privacy_page_durations_come_from_settings(client, settings):
    from datetime import timedelta

    settings.ACTIVATION_CODE_TTL = timedelta(hours=24)
    settings.PASSWORD_VALIDITY_YEARS = 2
    html = client.get("/donnees-personnelles").content.decode()
    assert "Le code vaut 24 heures" in html and "valable 2 ans" in html


def test_get_on_a_post_only_url_gives_a_french_405_page_with_allow(client):
    response = client.get("/deconnexion")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "Cette page ne s&#x27;ouvre pas ainsi" in html and "Erreur 405" in html
    assert 'href="/"' in html  # a way back


def test_the_405_middleware_leaves_other_answers_alone():
    request = RequestFactory().get("/")
    ok = HttpResponse("bonjour")
    assert MethodNotAllowedPageMiddleware(lambda r: ok)(request) is ok
    with_body = HttpResponseNotAllowed(["POST"], content=b"deja une page")
    assert MethodNotAllowedPageMiddleware(lambda r: with_body)(request) is with_body
    bare = HttpResponseNotAllowed(["POST"])
    del bare["Allow"]
    page = MethodNotAllowedPageMiddleware(lambda r: bare)(request)
    assert page.status_code == 405 and not page.has_header("Allow")


@pytest.mark.parametrize(
    "handler, status, title",
    [
        (errors.bad_request, 400, "Requête invalide"),
        (errors.forbidden, 403, "Accès refusé"),
        (errors.not_found, 404, "Page non trouvée"),
        (errors.server_error, 500, "Erreur inattendue"),
        (errors.csrf_failure, 403, "Session expirée"),
    ],
)
def test_error_pages_are_french_dsfr_with_a_way_back(handler, status, title):
    request = RequestFactory().get("/x")
    response = handler(request)
    html = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in html and f"Erreur {status}" in html
    assert 'class="fr-btn" href="/"' in html and 'href="/aide"' in html


def test_j1_7_previous_step_keeps_the_draft_without_the_answer(client):
    journey.start(client)
    journey.credentials(client)
    draft = {**journey.PROFILE, "company_identifier": "12", "street_name": "x" * 500, "action": "back"}
    response = client.post("/creation/formulaire", draft)
    assert response.status_code == 302 and response["Location"] == "/creation/identifiants"
    state = client.session["espace_creation"]["draft"]
    assert "trust_answer" not in state and TRUST_ANSWER not in str(dict(client.session))
    assert len(state["street_name"]) == 200  # bounded
    html = client.get("/creation/formulaire").content.decode()
    assert 'value="12"' in html and 'value="Rosemonde"' in html
    # A valid submission replaces the draft; going back then shows the phone in national form.
    assert journey.profile(client).status_code == 302
    assert "draft" not in client.session["espace_creation"]
    assert 'value="01 24 57 88 77"' in client.get("/creation/formulaire").content.decode()
    # "Effacer" forgets both.
    client.post("/creation/formulaire", {"action": "clear"})
    assert "form" not in client.session["espace_creation"]


def test_base_form_renders_one_dsfr_error_per_field_and_dsfr_radios():
    form = RegistrationForm({"civility": "", "last_name": "", "company_identifier": "987654321"})
    assert not form.is_valid()
    html = form["civility"].as_field_group()
    assert 'class="fr-fieldset fr-fieldset--error"' in html and html.count('class="fr-radio-group"') == 2
    html = form["last_name"].as_field_group()
    assert "fr-input-group--error" in html and html.count('class="fr-error-text"') == 1
    assert 'aria-describedby="id_last_name-desc-error"' in html and "errorlist" not in html
    assert "123 456 782" in form["company_identifier"].as_field_group()
    assert 'type="checkbox"' in form["trust_answer"].as_field_group()  # "Afficher"


def test_activation_step_2_buttons_in_the_guides_order():
    html = render_to_string("codes/activation/email.html", {"form": ActivationEmailForm(), "steps": [], "step": 2})
    positions = [html.index(word) for word in (">Étape précédente<", ">Effacer<", ">Continuer<")]
    assert positions == sorted(positions)
