"""Issue 13 item 5: no state change on GET. A link from another site to
"/creation/conditions-generales?mode=…" used to reset a creation wizard in progress (the
session cookie is SameSite=Lax, so a top-level cross-site GET carries it); and a cross-site
link to /certificat opened a session, flushing whatever the browser's session held."""

import pytest
from django.test import Client

from accounts.flows.registration import SESSION_KEY
from accounts.services import pki
from core import clock
from tests.accounts import journey
from tests.accounts.certs import certificate_space, client_cert, escaped

pytestmark = pytest.mark.django_db

EMAIL = "lila.rosemonde@exemple.fr"


def wizard_at_step_3(client):
    journey.start(client, "expert")
    assert journey.credentials(client, EMAIL).status_code == 302
    return dict(client.session[SESSION_KEY])


def test_a_get_with_mode_does_not_reset_a_wizard_in_progress(client):
    before = wizard_at_step_3(client)
    for mode in ("simplifie", "expert", "autre"):
        page = client.get(f"/creation/conditions-generales?mode={mode}", HTTP_SEC_FETCH_SITE="cross-site")
        assert page.status_code == 200
    assert client.session[SESSION_KEY] == before  # the email and password hash are still there
    assert client.get("/creation/formulaire").status_code == 200  # step 3 still open
    assert journey.profile(client).status_code == 302
    assert client.session[SESSION_KEY]["mode"] == "expert"


def test_a_get_of_the_cgu_step_starts_no_wizard(client):
    page = client.get("/creation/conditions-generales?mode=simplifie")
    assert "mode simplifié" in page.content.decode()  # it shows the mode the link names...
    assert SESSION_KEY not in client.session  # ...and stores nothing
    assert client.get("/creation/identifiants")["Location"] == "/creation?reprise=1"


def test_the_mode_is_chosen_by_the_cgu_forms_post(client):
    page = client.get("/creation/conditions-generales?mode=simplifie").content.decode()
    assert '<input type="hidden" name="mode" value="simplifie">' in page
    response = client.post("/creation/conditions-generales", {"accept": "on", "mode": "simplifie"})
    assert response.status_code == 302 and client.session[SESSION_KEY]["mode"] == "simplifie"


def test_choosing_the_same_mode_again_keeps_the_steps_another_mode_starts_anew(client):
    before = wizard_at_step_3(client)
    client.post("/creation/conditions-generales", {"accept": "on", "mode": "expert"})
    assert client.session[SESSION_KEY] == before
    client.post("/creation/conditions-generales", {"accept": "on", "mode": "simplifie"})
    assert client.session[SESSION_KEY] == {"mode": "simplifie", "cgu": True}


def test_a_cross_site_post_of_the_choice_is_refused_by_csrf():
    browser = Client(enforce_csrf_checks=True)
    browser.get("/creation/conditions-generales?mode=expert")
    response = browser.post("/creation/conditions-generales", {"accept": "on", "mode": "simplifie"})
    assert response.status_code == 403
    assert SESSION_KEY not in browser.session


def test_j7_a_link_from_another_site_opens_no_session(settings, tmp_path):
    """/certificat stays a GET (the guide's link; nginx turns its 495 redirect into a GET), but
    a navigation that another site started (Fetch metadata) is sent to the login page, where
    the person clicks "Accéder avec mon certificat" themselves."""
    ca = pki.make_ca("AC de test", now=clock.now())
    (tmp_path / "ca.pem").write_bytes(ca.cert_pem)
    settings.CLIENT_CA_FILE, settings.TRUSTED_PROXIES = str(tmp_path / "ca.pem"), ["10.0.0.5"]
    issued = client_cert(ca)
    space = certificate_space(issued)
    browser = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_SSL_CLIENT_CERT=escaped(issued))
    before = wizard_at_step_3(browser)
    for site in ("cross-site", "same-site"):
        response = browser.get("/certificat", HTTP_SEC_FETCH_SITE=site)
        assert response.status_code == 302 and response["Location"] == "/"
    assert browser.session[SESSION_KEY] == before and "_auth_user_id" not in browser.session
    # From the site itself, or a typed address, the certificate opens the space as before.
    response = browser.get("/certificat", HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302 and response["Location"] == "/espace"
    assert browser.session["_auth_user_id"] == str(space.pk)
    assert Client(REMOTE_ADDR="10.0.0.5").get("/certificat", HTTP_SEC_FETCH_SITE="none").status_code == 403
