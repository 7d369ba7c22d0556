"""J1-J3 through the Django test client: status, redirect, database, outbox."""

from datetime import timedelta

import pytest
import time_machine
from importlib import import_module

from django.conf import settings as django_settings

from core import clock
from accounts.models import AccessMode, Space
from core.models import AuditEvent
from codes.models import PendingRequest
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.database import all_database_text
from tests.factories import STRONG_PASSWORD, TRUST_ANSWER, SpaceFactory

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"


# --- J1 -----------------------------------------------------------------------------------
def test_j1_creates_nothing_before_confirm_then_one_request_and_one_email(client):
    journey.start(client)
    assert journey.credentials(client, EMAIL).status_code == 302
    assert journey.profile(client).status_code == 302
    summary = client.get("/creation/inscription")
    assert summary.status_code == 200
    assert "732 829 320" in summary.content.decode()
    assert PendingRequest.objects.count() == 0 and Space.objects.count() == 0 and OutboxEmail.objects.count() == 0

    response = client.post("/creation/inscription", {"action": "confirm"})
    assert response.status_code == 302 and response["Location"] == "/creation/code-envoye"
    pending = PendingRequest.objects.get()
    assert pending.kind == "creation" and pending.email == EMAIL and pending.held_email == EMAIL
    assert pending.expires_at - pending.created_at == timedelta(hours=48)
    mail = OutboxEmail.objects.get()
    assert mail.to == EMAIL and mail.subject == "Espace professionnel - Activation de l'espace"
    body = decrypt_body(mail)
    assert "Votre espace professionnel sera actif lorsque vous aurez saisi le code suivant" in body
    assert "Pour votre sécurité" in body
    sent = client.get("/creation/code-envoye").content.decode()
    assert "Activation de votre espace abonné" in sent and EMAIL in sent and "Activez votre espace abonné" in sent
    assert Space.objects.count() == 0  # J1.6: until activation the space does not exist


def test_j1_secrets_never_in_clear_in_the_database(client):
    journey.register(client, EMAIL)
    code = journey.last_code(EMAIL)
    text = all_database_text()
    assert STRONG_PASSWORD not in text
    assert TRUST_ANSWER not in text
    assert code not in text


def test_j1_wizard_steps_cannot_be_skipped(client):
    for url in ("/creation/identifiants", "/creation/formulaire", "/creation/inscription"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/creation?reprise=1"


def test_j1_cgu_must_be_accepted(client):
    client.get("/creation/conditions-generales?mode=expert")
    response = client.post("/creation/conditions-generales", {})
    assert response.status_code == 400
    assert "Vous devez accepter les conditions générales" in response.content.decode()


def test_r_mail_2_both_emails_must_match(client):
    journey.start(client)
    response = journey.credentials(client, EMAIL, email_confirm="autre@exemple.fr")
    assert response.status_code == 400
    assert "Les deux adresses électroniques saisies ne sont pas identiques." in response.content.decode()


def test_r_pwd_1_and_r_pwd_2_errors_are_shown_by_the_field(client):
    journey.start(client)
    page = journey.credentials(client, EMAIL, password="trop court", password_confirm="trop court").content.decode()
    assert "Le mot de passe doit comporter 20 caractères minimum." in page
    page = journey.credentials(client, EMAIL, password="a" * 25, password_confirm="a" * 25).content.decode()
    assert "Niveau de sécurité : Faible et non autorisé" in page or "liste de mots de passe" in page


def test_r_mail_3_email_of_a_password_space_is_refused(client):
    SpaceFactory(login_email=EMAIL)
    journey.start(client)
    response = journey.credentials(client, EMAIL.upper())
    assert response.status_code == 400
    assert "ne peut être associée qu&#x27;à un seul espace" in response.content.decode()


def test_r_mail_3_email_of_a_certificate_space_points_to_the_option(client):
    SpaceFactory(access_mode=AccessMode.CERTIFICATE, login_email=None, contact_email=EMAIL)
    journey.start(client)
    page = journey.credentials(client, EMAIL).content.decode()
    assert "Vous n&#x27;avez plus accès à votre espace abonné avec certificat" in page


def test_r_code_3_no_second_request_for_the_same_email_within_48_hours(client):
    journey.register(client, EMAIL)
    other = client.__class__()
    journey.start(other)
    assert journey.credentials(other, EMAIL).status_code == 400  # refused at step 2
    with time_machine.travel(clock.now() + timedelta(hours=48, seconds=1), tick=False):
        assert journey.register(other, EMAIL).status_code == 302
    assert PendingRequest.objects.filter(email=EMAIL).count() == 2


def test_j1_going_back_keeps_what_was_typed_except_secrets(client):
    journey.start(client)
    journey.credentials(client, EMAIL)
    journey.profile(client)
    page = client.get("/creation/formulaire").content.decode()
    assert 'value="ROSEMONDE"' in page and 'value="Lila"' in page
    assert TRUST_ANSWER not in page
    credentials_page = client.get("/creation/identifiants").content.decode()
    assert EMAIL in credentials_page and STRONG_PASSWORD not in credentials_page


def test_j1_effacer_clears_the_form(client):
    journey.start(client)
    journey.credentials(client, EMAIL)
    journey.profile(client)
    client.post("/creation/formulaire", {"action": "clear"})
    assert 'value="ROSEMONDE"' not in client.get("/creation/formulaire").content.decode()


def test_r_siren_2_summary_shows_unknown_siren_with_advice(client):
    journey.start(client)
    journey.credentials(client, EMAIL)
    journey.profile(client, company_identifier="552100554")
    page = client.get("/creation/inscription").content.decode()
    assert "non connue" in page
    assert "veuillez prendre contact avec votre Service des Impôts des Entreprises" in page


def test_r_siren_1_foreign_company_takes_a_free_identifier(client):
    journey.start(client)
    journey.credentials(client, EMAIL)
    response = journey.profile(
        client, foreign_company="oui", company_identifier="BE0123456789", country="Belgique", postal_code="1000"
    )
    assert response.status_code == 302


# --- J2 -----------------------------------------------------------------------------------
def test_j2_activation_creates_the_space_with_a_number_and_offers_the_pdf(client):
    journey.register(client, EMAIL)
    code = journey.last_code(EMAIL)
    response = journey.activate(client, code, EMAIL)
    assert response.status_code == 302 and response["Location"] == "/activation/recapitulatif"
    space = Space.objects.get(login_email=EMAIL)
    assert len(space.subscriber_number) == 14 and space.subscriber_number.isdigit()
    assert space.access_mode == AccessMode.PASSWORD and space.last_name == "ROSEMONDE"
    assert space.phone == "+33124578877" and space.company_identifier == "732829320"
    page = client.get("/activation/recapitulatif").content.decode()
    assert f"sous le numéro <strong>{space.subscriber_number}</strong>" in page
    assert "Ce numéro d'abonné vous est personnel et doit le rester." in page
    pdf = client.get("/activation/recapitulatif.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    pending = PendingRequest.objects.get()
    assert pending.used_at is not None and pending.held_email is None


def test_r_pdf_2_only_the_activating_session_gets_the_pdf(client):
    journey.register(client, EMAIL)
    journey.activate(client, journey.last_code(EMAIL), EMAIL)
    stranger = client.__class__()
    assert stranger.get("/activation/recapitulatif.pdf").status_code == 404
    assert stranger.get("/espace/recapitulatif.pdf").status_code == 302


@pytest.mark.parametrize("case", ["wrong_code", "other_email", "used", "expired"])
def test_r_code_2_one_message_for_every_refusal(client, case):
    journey.register(client, EMAIL)
    code = journey.last_code(EMAIL)
    email = EMAIL
    if case == "wrong_code":
        code = ("A" if code[0] != "A" else "B") + code[1:]
    elif case == "other_email":
        email = "autre@exemple.fr"
    elif case == "used":
        journey.activate(client.__class__(), code, EMAIL)
    travel = timedelta(hours=48, seconds=1) if case == "expired" else timedelta(0)
    with time_machine.travel(clock.now() + travel, tick=False):
        response = journey.activate(client, code, email)
    assert response.status_code == 400
    assert "ne permettent pas l&#x27;activation" in response.content.decode()
    assert Space.objects.count() == (1 if case == "used" else 0)
    assert AuditEvent.objects.filter(kind="codes.activation_failed").exists()


def test_r_code_1_code_is_case_sensitive(client):
    journey.register(client, EMAIL)
    code = journey.last_code(EMAIL)
    assert journey.activate(client, code.swapcase(), EMAIL).status_code == 400


def test_j2_email_step_cannot_skip_the_captcha_step(client):
    journey.register(client, EMAIL)
    code = journey.last_code(EMAIL)
    response = client.post("/activation/identifiants", {"code": code, "email": EMAIL, "action": "continue"})
    assert response.status_code == 302 and response["Location"] == "/activation"
    assert Space.objects.count() == 0


def test_r_captcha_1_activation_needs_the_captcha(client):
    journey.register(client, EMAIL)
    page = client.get("/activation")
    from antirobot.testing import captcha_post_data

    data = captcha_post_data(page)
    data["captcha"] = "zzzzzz"
    response = client.post("/activation", {"code": journey.last_code(EMAIL), **data})
    assert response.status_code == 400
    assert "Les caractères saisis ne correspondent pas à l&#x27;image" in response.content.decode()


# --- J3 -----------------------------------------------------------------------------------
def test_j3_login_cycles_the_session_and_shows_the_home(client):
    space = SpaceFactory(login_email=EMAIL)
    client.get("/")
    before = client.session.session_key
    response = journey.login(client, EMAIL)
    assert response.status_code == 302 and response["Location"] == "/espace"
    assert client.session.session_key != before
    page = client.get("/espace").content.decode()
    assert "Mme ROSEMONDE Lila" in page
    assert f"Abonné : {space.subscriber_number}" in page
    assert f"Expiration du mot de passe : {space.password_expires_on:%d/%m/%Y}" in page
    assert "Me déconnecter" in page and "Bienvenue," in page and "Gérer les services" in page
    assert AuditEvent.objects.filter(kind="accounts.login_ok", space=space).exists()


def test_j3_manage_page_has_the_four_blocks_with_no_dead_link(client):
    SpaceFactory(login_email=EMAIL)
    journey.login(client, EMAIL)
    page = client.get("/espace/gerer").content.decode()
    for block in ("Services", "Données personnelles", "Partage des services", "Données de l'entreprise"):
        assert block in page
    assert 'href="#"' not in page
    assert client.get("/espace/recapitulatif.pdf").status_code == 200


@pytest.mark.parametrize("case", ["wrong_password", "unknown_email", "pending_email"])
def test_j3_one_generic_message(client, case):
    SpaceFactory(login_email=EMAIL)
    email, password = EMAIL, STRONG_PASSWORD
    if case == "wrong_password":
        password = "Un autre mot de passe bien long 123"
    elif case == "unknown_email":
        email = "inconnu@exemple.fr"
    else:
        email = "en.attente@exemple.fr"
        journey.register(client.__class__(), email)
    response = journey.login(client, email, password)
    assert response.status_code == 400
    assert "L&#x27;adresse électronique ou le mot de passe est incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_r_throttle_1_login_refused_after_five_failures_even_with_the_right_password(client):
    SpaceFactory(login_email=EMAIL)
    for _ in range(5):
        assert journey.login(client, EMAIL, "Un mauvais mot de passe assez long").status_code == 400
    response = journey.login(client, EMAIL)
    assert response.status_code == 400
    assert AuditEvent.objects.filter(kind="accounts.login_throttled").exists()
    with time_machine.travel(clock.now() + timedelta(minutes=1, seconds=1), tick=False):
        assert journey.login(client, EMAIL).status_code == 302


def test_j3_logout_ends_the_session_server_side(client):
    SpaceFactory(login_email=EMAIL)
    journey.login(client, EMAIL)
    key = client.session.session_key
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    assert store.exists(key)
    response = client.post("/deconnexion")
    assert response.status_code == 302
    assert not store.exists(key)  # deleted from the store (database or Redis)
    assert client.get("/espace").status_code == 302
    assert client.get("/deconnexion").status_code == 405  # logout is a POST with CSRF


def test_r_exp_3_expired_password_opens_no_session(client):
    space = SpaceFactory(login_email=EMAIL)
    with time_machine.travel(clock.now() + timedelta(days=3 * 366 + 2), tick=False):
        response = journey.login(client, EMAIL)
        assert response.status_code == 302
        assert response["Location"] == "/mot-de-passe-expire"  # J6's page, no session
        assert client.get("/espace").status_code == 302
    assert AuditEvent.objects.filter(kind="accounts.login_expired", space=space).exists()


@pytest.mark.parametrize("store_age", [None, timedelta(hours=12)], ids=["store-30-min", "store-12-h"])
def test_spec_4_idle_timeout_is_30_minutes(client, settings, store_age):
    """30 minutes idle end the session, whatever the session store's own expiry: with a
    store that keeps sessions 12 hours, only SessionLifetimeMiddleware's check holds it."""
    if store_age:
        settings.SESSION_COOKIE_AGE = int(store_age.total_seconds())
    space = SpaceFactory(login_email=EMAIL)
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        journey.login(client, EMAIL)
        traveller.shift(timedelta(minutes=29))
        assert client.get("/espace").status_code == 200  # activity slides the expiry
        traveller.shift(timedelta(minutes=29))
        assert client.get("/espace").status_code == 200
        assert not AuditEvent.objects.filter(kind="accounts.session_expired").exists()
        traveller.shift(timedelta(minutes=30, seconds=2))
        response = client.get("/espace")
        assert response.status_code == 302 and response["Location"] == "/"
        assert "_auth_user_id" not in client.session
        assert client.get("/espace/gerer").status_code == 302
    if store_age:  # the store still had the session: the middleware ended it, and said so
        assert AuditEvent.objects.filter(kind="accounts.session_expired", space=space).count() == 1


def test_spec_4_absolute_session_lifetime_is_12_hours(client):
    SpaceFactory(login_email=EMAIL)
    journey.login(client, EMAIL)
    start = clock.now()
    for step in range(1, 30):  # active every 29 minutes: never idle
        with time_machine.travel(start + timedelta(minutes=29 * step), tick=False):
            status = client.get("/espace").status_code
        assert status == (200 if 29 * step <= 12 * 60 else 302), step
        if status == 302:
            break
    assert AuditEvent.objects.filter(kind="accounts.session_expired").exists()


def test_spec_4_audit_log_never_holds_a_secret(client):
    journey.register(client, EMAIL)
    code = journey.last_code(EMAIL)
    journey.activate(client, code, EMAIL)
    journey.login(client, EMAIL, "Un mauvais mot de passe assez long")
    journey.login(client, EMAIL)
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert {"accounts.registration_requested", "codes.activation_ok", "accounts.login_failed", "accounts.login_ok"} <= kinds
    for event in AuditEvent.objects.all():
        dumped = f"{event.email} {event.detail} {event.user_agent}"
        assert STRONG_PASSWORD not in dumped and code not in dumped and TRUST_ANSWER not in dumped


def test_spec_4_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    secure = client.get("/", secure=True)
    assert int(secure["Strict-Transport-Security"].split("max-age=")[1].split(";")[0]) >= 31536000


def test_health_reports_captcha_test_mode(client, settings):
    assert client.get("/sante").json() == {"statut": "ok", "base": "ok", "captcha_test_mode": False}
    settings.CAPTCHA_TEST_MODE = True
    assert client.get("/sante").json()["captcha_test_mode"] is True


def test_r_throttle_1_creation_requests_are_capped_per_address(client, settings):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "creations_per_address": {"limit": 2, "window": timedelta(hours=1)},
    }
    for n in range(2):
        assert journey.register(client.__class__(), f"usager{n}@exemple.fr")["Location"] == "/creation/code-envoye"
    response = journey.register(client, "usager9@exemple.fr")
    assert response["Location"] == "/creation/inscription"
    assert "Trop de demandes de création" in client.get("/creation/inscription").content.decode()
    assert PendingRequest.objects.count() == 2 and OutboxEmail.objects.count() == 2


@pytest.mark.parametrize("etat", [False, True])
def test_brand_is_the_states_only_when_declared(client, settings, etat):
    settings.ETAT_DEPLOIEMENT = etat
    page = client.get("/").content.decode()
    assert ("République<br>française" in page) is etat
    assert ("neutral.css" in page) is not etat


def test_j1_confirm_clicked_twice_sends_one_code(client):
    journey.register(client, EMAIL)
    again = client.post("/creation/inscription", {"action": "confirm"})
    assert again["Location"] == "/creation/code-envoye"
    assert PendingRequest.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_j3_logout_says_so_on_the_login_page_once(client):
    SpaceFactory(login_email=EMAIL)
    journey.login(client, EMAIL)
    page = client.post("/deconnexion", follow=True).content.decode()
    assert "Vous êtes déconnecté de votre espace professionnel." in page
    assert "Vous êtes déconnecté" not in client.get("/").content.decode()
