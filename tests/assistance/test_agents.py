"""R-AST-1: agents' accounts, enrolment, sign-in with a second factor, sessions apart from spaces'."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from assistance.models import Agent, AgentSession, RecoveryCode
from assistance.events import Kind as Event
from core import clock
from core.models import AuditEvent
from tests.accounts.journey import login as space_login
from tests.assistance.console import (
    AGENT_EMAIL,
    AGENT_PASSWORD,
    agent_client,
    code_at,
    create_agent,
    enrol,
    secret_of,
)
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db

CONSOLE_PAGES = ["/assistance/", "/assistance/historique"]


@pytest.fixture
def now(time_machine):
    time_machine.move_to(clock.now().replace(microsecond=0), tick=False)
    return time_machine


def test_r_ast_1_create_agent_prints_a_one_time_link_stored_as_a_digest(now):
    token = create_agent()
    agent = Agent.objects.get()
    assert agent.email == AGENT_EMAIL and agent.password == "" and agent.enrolled_at is None
    assert token not in agent.enrolment_digest and len(agent.enrolment_digest) == 64
    assert AuditEvent.objects.filter(kind=Event.AGENT_CREATED).count() == 1
    with pytest.raises(CommandError, match="existe déjà"):
        create_agent()
    with pytest.raises(CommandError):
        call_command("create_agent", "pas-une-adresse", "Nom", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("create_agent", "x@exemple.fr", "\x00", stdout=io.StringIO())


def test_r_ast_1_enrolment_sets_password_totp_and_ten_recovery_codes_shown_once(client, now):
    token = create_agent()
    page = client.get(f"/assistance/enrolement/{token}")
    assert page.status_code == 200 and "Choisir votre mot de passe" in page.content.decode()
    codes = enrol(client, token)
    assert len(codes) == 10 and len(set(codes)) == 10
    agent = Agent.objects.get()
    assert agent.enrolled_at and agent.password.startswith("argon2")
    assert RecoveryCode.objects.filter(agent=agent).count() == 10
    stored = " ".join(RecoveryCode.objects.values_list("digest", flat=True)) + agent.totp_secret
    assert all(code not in stored for code in codes) and secret_of() not in stored
    # The link is spent: a second visit is a 404.
    assert client.get(f"/assistance/enrolement/{token}").status_code == 404
    assert client.get("/assistance/").status_code == 200


def test_r_ast_1_enrolment_page_draws_the_qr_code_inline_and_the_secret_in_text(client, now):
    token = create_agent()
    client.post(f"/assistance/enrolement/{token}", {"password": AGENT_PASSWORD, "password_confirm": AGENT_PASSWORD})
    page = client.get("/assistance/second-facteur").content.decode()
    assert "<svg" in page and "<?xml" not in page
    grouped = " ".join(secret_of()[i : i + 4] for i in range(0, len(secret_of()), 4))
    assert grouped in page
    # Reloaded, the same secret (a QR code already scanned stays good).
    assert grouped in client.get("/assistance/second-facteur").content.decode()
    wrong = client.post("/assistance/second-facteur", {"code": "000000" if code_at(secret_of()) != "000000" else "111111"})
    assert "Code incorrect" in wrong.content.decode()
    assert Agent.objects.get().enrolled_at is None


def test_r_pwd_1_2_the_agents_password_follows_the_policy(client, now):
    token = create_agent()
    for weak in ("court", "motdepassemotdepassemotdepasse", "agent.martin agent.martin 2026"):
        response = client.post(f"/assistance/enrolement/{token}", {"password": weak, "password_confirm": weak})
        assert response.status_code == 400 and "fr-error-text" in response.content.decode()
    mismatch = client.post(
        f"/assistance/enrolement/{token}", {"password": AGENT_PASSWORD, "password_confirm": AGENT_PASSWORD + "x"}
    )
    assert "ne sont pas identiques" in mismatch.content.decode()
    assert Agent.objects.get().password == ""


def test_r_ast_1_expired_or_unknown_link_is_a_404(client, now):
    token = create_agent()
    assert client.get("/assistance/enrolement/inconnu").status_code == 404
    assert client.get("/assistance/enrolement/" + "a" * 150).status_code == 404
    now.shift(timedelta(hours=24))
    assert client.get(f"/assistance/enrolement/{token}").status_code == 404


def test_r_throttle_1_enrolment_links_counted_per_address(client, settings, now):
    token = create_agent()
    for _ in range(settings.THROTTLE_POLICIES["assistance_links_per_address"]["limit"]):
        client.get("/assistance/enrolement/devine")
    assert client.get(f"/assistance/enrolement/{token}").status_code == 404


def test_r_ast_1_an_agent_without_totp_reaches_nothing(client, now):
    token = create_agent()
    client.post(f"/assistance/enrolement/{token}", {"password": AGENT_PASSWORD, "password_confirm": AGENT_PASSWORD})
    # Password set, TOTP not confirmed: every console page sends back to the login.
    for path in CONSOLE_PAGES + ["/assistance/connexion/code"]:
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/assistance/connexion", path
    # A new login goes to the TOTP enrolment, never to the console.
    other = Client()
    response = other.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    assert response.url == "/assistance/second-facteur"
    for path in CONSOLE_PAGES:
        assert other.get(path).status_code == 302


def test_r_ast_1_login_password_then_totp(client, now):
    agent_client(client, now)
    session = AgentSession.objects.filter(ended_at__isnull=True).get()
    assert session.stage == AgentSession.Stage.OPEN
    assert client.get("/assistance/").status_code == 200
    assert AuditEvent.objects.filter(kind=Event.LOGIN_OK).count() == 2  # enrolment, then login


def test_r_ast_1_a_totp_code_is_accepted_once(client, now):
    agent_client(client, now)
    client.post("/assistance/deconnexion")
    client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    again = client.post("/assistance/connexion/code", {"code": code_at(secret_of())})  # the step just used
    assert again.status_code == 400 and "Code incorrect" in again.content.decode()


def test_r_ast_1_wrong_password_or_unknown_email_one_message(client, now):
    agent_client(Client(), now)
    for email, password in ((AGENT_EMAIL, "mauvais mot de passe"), ("inconnu@exemple.fr", AGENT_PASSWORD)):
        response = client.post("/assistance/connexion", {"email": email, "password": password})
        assert response.status_code == 400
        assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()
    assert client.get("/assistance/connexion/code").status_code == 302


def test_r_ast_1_recovery_code_works_once(client, now):
    codes = agent_client(client, now)
    client.post("/assistance/deconnexion")
    client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    typed = codes[0].lower().replace("-", " ")  # as read from paper
    response = client.post("/assistance/connexion/code", {"code": typed})
    assert response.status_code == 302 and response.url == "/assistance/"
    assert AuditEvent.objects.filter(kind=Event.RECOVERY_CODE_USED).count() == 1
    client.post("/assistance/deconnexion")
    client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    again = client.post("/assistance/connexion/code", {"code": codes[0]})
    assert again.status_code == 400 and "Code incorrect" in again.content.decode()
    assert client.post("/assistance/connexion/code", {"code": codes[1]}).status_code == 302


def test_r_throttle_1_agent_password_checks_are_capped(client, settings, now):
    agent_client(Client(), now)
    free = settings.THROTTLE_POLICIES["account_failures"]["free_failures"]
    for _ in range(free):
        client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": "mauvais mot de passe"})
    # Blocked: even the right password is not checked.
    response = client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    assert response.status_code == 400 and "Trop de tentatives" in response.content.decode()
    assert AuditEvent.objects.filter(kind=Event.LOGIN_THROTTLED).count() == 1
    now.shift(settings.THROTTLE_POLICIES["account_failures"]["first_delay"])
    assert client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD}).status_code == 302


def test_r_throttle_1_agent_totp_checks_are_capped_and_not_reset_by_the_password(client, settings, now):
    agent_client(Client(), now)
    free = settings.THROTTLE_POLICIES["account_failures"]["free_failures"]
    client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    right = code_at(secret_of(), clock.now() + timedelta(seconds=30))
    wrong = "123456" if right != "123456" else "654321"
    for attempt in range(free):
        if attempt == 2:  # the password typed again does not buy fresh guesses
            client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
        client.post("/assistance/connexion/code", {"code": wrong})
    now.shift(timedelta(seconds=30))
    response = client.post("/assistance/connexion/code", {"code": right})
    assert response.status_code == 400 and "Trop de tentatives" in response.content.decode()


def test_r_ast_1_idle_timeout_by_the_clock(client, settings, now):
    agent_client(client, now)
    now.shift(settings.ASSISTANCE_IDLE_TIMEOUT - timedelta(seconds=1))
    assert client.get("/assistance/").status_code == 200
    now.shift(settings.ASSISTANCE_IDLE_TIMEOUT - timedelta(seconds=1))  # the last request slid the clock
    assert client.get("/assistance/").status_code == 200
    now.shift(settings.ASSISTANCE_IDLE_TIMEOUT)
    response = client.get("/assistance/")
    assert response.status_code == 302 and response.url == "/assistance/connexion"
    assert AuditEvent.objects.filter(kind=Event.SESSION_EXPIRED).count() == 1


def test_r_ast_1_absolute_lifetime(client, settings, now):
    agent_client(client, now)
    step = settings.ASSISTANCE_IDLE_TIMEOUT - timedelta(minutes=1)
    moved = timedelta(0)
    while moved + step < settings.ASSISTANCE_ABSOLUTE_TIMEOUT:
        now.shift(step)
        moved += step
        assert client.get("/assistance/").status_code == 200
    now.shift(settings.ASSISTANCE_ABSOLUTE_TIMEOUT - moved)
    assert client.get("/assistance/").status_code == 302


def test_r_ast_1_logout_ends_the_session(client, now):
    agent_client(client, now)
    response = client.post("/assistance/deconnexion")
    assert response.status_code == 302 and response.url == "/assistance/connexion"
    assert not AgentSession.objects.filter(ended_at__isnull=True).exists()
    assert client.get("/assistance/").status_code == 302


def test_r_ast_1_deactivate_agent_ends_its_sessions(client, now):
    agent_client(client, now)
    out = io.StringIO()
    call_command("deactivate_agent", AGENT_EMAIL, stdout=out)
    assert "1 session fermée" in out.getvalue()
    assert client.get("/assistance/").status_code == 302
    response = client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    assert "incorrect" in response.content.decode()
    with pytest.raises(CommandError, match="aucun agent"):
        call_command("deactivate_agent", "inconnu@exemple.fr", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("deactivate_agent", "pas une adresse", stdout=io.StringIO())


def test_r_ast_1_a_space_session_gives_nothing_under_assistance(client, now):
    space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
    assert space_login(client, space.login_email, STRONG_PASSWORD).status_code == 302
    assert client.get("/espace").status_code == 200
    for path in CONSOLE_PAGES + ["/assistance/connexion/code", "/assistance/second-facteur"]:
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/assistance/connexion", path


def test_r_ast_1_an_agent_session_gives_nothing_of_a_space(client, settings, now):
    agent_client(client, now)
    assert client.cookies["__Secure-assistance"].value
    assert not client.cookies.get(settings.SESSION_COOKIE_NAME) or not client.cookies[settings.SESSION_COOKIE_NAME].value
    for path in ("/espace", "/espace/gerer", "/espace/historique"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/", path


def test_r_ast_1_the_agent_cookie_is_strict_httponly_and_scoped(client, settings, now):
    agent_client(client, now)
    cookie = client.cookies["__Secure-assistance"]
    assert cookie["path"] == "/assistance/" and cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["secure"]
    settings.SECURE_COOKIES = False
    other = Client()
    agent_client_again = other.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    assert agent_client_again.cookies["assistance"]["path"] == "/assistance/"


def test_r_ast_1_a_forged_or_stale_cookie_opens_nothing(client, now):
    client.cookies["__Secure-assistance"] = "forge"
    response = client.get("/assistance/")
    assert response.status_code == 302
    assert response.cookies["__Secure-assistance"].value == ""  # dropped
    client.cookies["__Secure-assistance"] = "x" * 500
    assert client.get("/assistance/").status_code == 302


def test_r_throttle_1_agent_logins_are_capped_per_address(client, settings, now):
    agent_client(Client(), now)
    limit = settings.THROTTLE_POLICIES["address_failures"]["limit"]
    for index in range(limit):
        client.post("/assistance/connexion", {"email": f"essai{index}@exemple.fr", "password": "mauvais mot de passe"})
    response = client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    assert response.status_code == 400 and "Trop de tentatives" in response.content.decode()
    # Another address is not refused.
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD}).status_code == 302


def test_r_ast_1_dead_sessions_are_forgotten_at_the_next_sign_in(client, settings, now):
    agent_client(client, now)
    assert AgentSession.objects.count() == 4  # enrolment, console, password step, console
    now.shift(settings.ASSISTANCE_ABSOLUTE_TIMEOUT)
    client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    assert AgentSession.objects.count() == 1


def test_r_ast_1_reenrol_agent_revokes_the_old_credentials_at_once_and_gives_a_new_link(client, now):
    """A lost phone: the operator's `reenrol_agent` locks out the old password, TOTP secret and
    recovery codes now (not at the new enrolment), ends the sessions, and prints a new link."""
    codes = agent_client(client, now)
    old_secret = secret_of()
    out = io.StringIO()
    call_command("reenrol_agent", AGENT_EMAIL.upper(), stdout=out)
    printed = out.getvalue()
    assert "Identifiants de Claire Martin <agent.martin@dgfip.exemple.fr> révoqués (1 session fermée)." in printed
    assert "usage unique, valable 24 h" in printed
    token = re.search(r"/assistance/enrolement/([A-Za-z0-9_-]+)$", printed, re.M).group(1)
    assert client.get("/assistance/").status_code == 302  # the open session ended
    thief = Client()
    refused = thief.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    assert refused.status_code == 400 and "incorrect" in refused.content.decode()
    agent = Agent.objects.get()
    assert agent.totp_secret == "" and agent.enrolled_at is None and not agent.recovery_codes.exists()
    assert token not in str(list(Agent.objects.values_list("enrolment_digest", flat=True)))
    assert AuditEvent.objects.filter(kind=Event.REENROLMENT, email=AGENT_EMAIL).count() == 1
    new_codes = enrol(Client(), token)  # a new password, a new secret, new recovery codes
    assert secret_of() != old_secret and len(new_codes) == 10 and not set(new_codes) & set(codes)
    assert Client().get(f"/assistance/enrolement/{token}").status_code == 404  # the link served once


def test_r_ast_1_reenrol_agent_refuses_an_unknown_or_deactivated_agent(now):
    create_agent()
    call_command("deactivate_agent", AGENT_EMAIL, stdout=io.StringIO())
    with pytest.raises(CommandError, match="est désactivé"):
        call_command("reenrol_agent", AGENT_EMAIL, stdout=io.StringIO())
    assert not AuditEvent.objects.filter(kind=Event.REENROLMENT).exists()
    with pytest.raises(CommandError, match="aucun agent"):
        call_command("reenrol_agent", "inconnu@exemple.fr", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("reenrol_agent", "pas une adresse", stdout=io.StringIO())
