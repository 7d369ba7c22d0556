"""The core shapes J4-J8 build on: request policies, sessions, the guarded check,
password history, byte caps, housekeeping. Each test failed on the code before the reshape."""

from datetime import timedelta
from importlib import import_module
from io import StringIO

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction

from antirobot.testing import captcha_post_data
from core import clock
from accounts.models import AccessMode, Space
from core.models import AuditEvent, ThrottleCounter
from accounts.kinds import Kind
from accounts.requests import EmailOfCertificateSpace
from codes.models import PendingRequest
from codes import requests
from codes.errors import CodeRefused, EmailUnavailable
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"


def open_request(kind, email, space=None, now=None):
    with transaction.atomic():
        return requests.open_request(kind=kind, email=email, payload={"x": "y"}, now=now or clock.now(), space=space)


# --- 1. Pending requests per kind -----------------------------------------------------------
def test_r_code_1_each_kind_has_its_own_life_and_claim():
    space = SpaceFactory(login_email=EMAIL)
    now = clock.now()
    creation = open_request(Kind.CREATION, "nouvelle@exemple.fr", now=now)
    reset = open_request(Kind.PASSWORD_RESET, EMAIL, space=space, now=now)
    assert creation.expires_at - now == timedelta(hours=48) and creation.held_email == "nouvelle@exemple.fr"
    assert reset.expires_at - now == timedelta(hours=1) and reset.held_email is None  # claims nothing


def test_r_mail_3_a_certificate_spaces_contact_email_is_refused_to_creation_only():
    certificate = SpaceFactory(
        access_mode=AccessMode.CERTIFICATE, login_email=None, contact_email="cabinet@exemple.fr"
    )
    now = clock.now()
    with pytest.raises(EmailOfCertificateSpace):
        requests.check_available(Kind.CREATION, "cabinet@exemple.fr", now)
    requests.check_available(Kind.OPTION, "cabinet@exemple.fr", now, certificate)  # its own address
    with pytest.raises(EmailUnavailable):
        requests.check_available(Kind.EMAIL_CHANGE, SpaceFactory().login_email, now, SpaceFactory())


def test_r_mail_3_a_new_request_of_a_space_replaces_its_pending_one():
    space = SpaceFactory(login_email=EMAIL)
    first = open_request(Kind.EMAIL_CHANGE, "premiere@exemple.fr", space=space)
    second = open_request(Kind.EMAIL_CHANGE, "seconde@exemple.fr", space=space)
    assert not PendingRequest.objects.filter(pk=first.pk).exists()  # its code stops working
    assert PendingRequest.objects.get(pk=second.pk).held_email == "seconde@exemple.fr"
    # ... while another space still cannot take an address a live request holds.
    with pytest.raises(EmailUnavailable):
        requests.check_available(Kind.EMAIL_CHANGE, "seconde@exemple.fr", clock.now(), SpaceFactory())


def test_r_code_2_a_kind_not_activated_by_the_entry_is_refused_there(client):
    """A password-reset code typed in "Activez votre espace" is a wrong code there."""
    space = SpaceFactory(login_email=EMAIL)
    open_request(Kind.PASSWORD_RESET, EMAIL, space=space)
    code = journey.last_code(EMAIL)
    response = journey.activate(client, code, EMAIL)
    assert response.status_code == 400
    assert PendingRequest.objects.get().used_at is None


def test_activation_wipes_the_payload_and_shows_the_kinds_page(client):
    journey.register(client, EMAIL)
    assert PendingRequest.objects.get().payload["password_hash"]
    journey.activate(client, journey.last_code(EMAIL), EMAIL)
    pending = PendingRequest.objects.get()
    assert pending.used_at is not None and pending.payload == {} and pending.held_email is None
    assert "sous le numéro" in client.get("/activation/recapitulatif").content.decode()


def test_expired_claims_are_released_with_their_payload_wiped():
    now = clock.now()
    pending = open_request(Kind.CREATION, EMAIL, now=now - timedelta(hours=49))
    requests.check_available(Kind.CREATION, EMAIL, now)  # frees the void claim
    pending.refresh_from_db()
    assert pending.held_email is None and pending.payload == {}


def test_housekeeping_purges_dead_requests_and_expired_counters():
    now = clock.now()
    dead = open_request(Kind.CREATION, "vieille@exemple.fr", now=now - timedelta(hours=49))
    live = open_request(Kind.CREATION, "vive@exemple.fr", now=now)
    used = open_request(Kind.CREATION, "utilisee@exemple.fr", now=now)
    requests.consume(used, now)
    ThrottleCounter.objects.create(key="vieux", count=3, window_start=now - timedelta(days=2))
    ThrottleCounter.objects.create(key="recent", count=3, window_start=now)
    out = StringIO()
    call_command("housekeeping", stdout=out)
    assert set(PendingRequest.objects.values_list("pk", flat=True)) == {live.pk}
    assert not PendingRequest.objects.filter(pk__in=[dead.pk, used.pk]).exists()
    assert set(ThrottleCounter.objects.values_list("key", flat=True)) == {"recent"}
    assert "demandes : 2" in out.getvalue()


def test_r_code_2_a_used_code_is_refused_and_consumes_once():
    pending = open_request(Kind.CREATION, EMAIL)
    requests.consume(pending, clock.now())
    with pytest.raises(CodeRefused):
        requests.consume(pending, clock.now())


# --- 2. Sessions that end when they must ------------------------------------------------------
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda space: setattr(space, "login_email", "nouvelle@exemple.fr"), id="login-email"),
        pytest.param(lambda space: setattr(space, "access_mode", AccessMode.CERTIFICATE), id="access-mode"),
        pytest.param(lambda space: space.set_password("Un tout autre mot de passe 2027 !"), id="password"),
    ],
)
def test_spec_4_a_credentials_change_ends_every_session(client, change):
    space = SpaceFactory(login_email=EMAIL)
    journey.login(client, EMAIL)
    assert client.get("/espace").status_code == 200
    change(space)
    space.save()
    response = client.get("/espace")
    assert response.status_code == 302 and response["Location"] == "/"


def test_r_exp_3_a_session_open_when_the_password_expires_reaches_nothing(client):
    space = SpaceFactory(login_email=EMAIL)
    journey.login(client, EMAIL)
    # The last valid day was yesterday (Paris): the session opened before must stop now.
    Space.objects.filter(pk=space.pk).update(password_expires_on=clock.paris_today() - timedelta(days=1))
    for path in ("/espace/gerer", "/espace/recapitulatif.pdf", "/espace"):
        assert client.get(path).status_code == 302, path
    assert AuditEvent.objects.filter(kind="accounts.session_blocked", space=space).exists()
    assert "_auth_user_id" not in client.session


def test_spec_4_a_login_starts_from_a_clean_session(client):
    """User A activates, then user B logs in on the same browser: A's recap is gone."""
    journey.register(client, EMAIL)
    journey.activate(client, journey.last_code(EMAIL), EMAIL)
    assert client.get("/activation/recapitulatif.pdf").status_code == 200
    SpaceFactory(login_email="autre@exemple.fr")
    assert journey.login(client, "autre@exemple.fr").status_code == 302
    assert client.get("/activation/recapitulatif.pdf").status_code == 404


def test_the_strength_meter_never_writes_a_logged_in_session_back(client):
    """A stale copy saved by the meter would undo what the page's own requests saved."""
    SpaceFactory(login_email=EMAIL)
    journey.login(client, EMAIL)
    key = client.session.session_key
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    before = store(key).load()
    with time_machine.travel(clock.now() + timedelta(minutes=5), tick=False):
        assert client.post("/mot-de-passe/niveau", {"password": "x" * 25}).status_code == 200
        assert store(key).load() == before  # the idle refresh was not saved by the meter
        client.get("/espace")
        assert store(key).load() != before  # ... while a page of the space slides it


# --- 3. One guarded secret check --------------------------------------------------------------
def test_r_throttle_1_wrong_codes_count_against_the_account_like_wrong_passwords(client):
    SpaceFactory(login_email=EMAIL)
    for _ in range(5):
        response = journey.activate(client, "ABCDEFabcdef", EMAIL)
        assert response.status_code == 400
    assert journey.login(client, EMAIL).status_code == 400  # blocked, even with the right password
    assert AuditEvent.objects.filter(kind="accounts.login_throttled", email=EMAIL).exists()
    with time_machine.travel(clock.now() + timedelta(minutes=2), tick=False):
        assert journey.login(client, EMAIL).status_code == 302


def test_the_strength_meter_is_capped_per_address_and_scores_128_characters_at_most(client, settings):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "password_levels_per_address": {"limit": 2, "window": timedelta(minutes=10)},
    }
    strong = "Le phare de Sein veille la nuit sur les marins 42"
    assert client.post("/mot-de-passe/niveau", {"password": strong}).json()["autorise"] is True
    assert client.post("/mot-de-passe/niveau", {"password": strong * 3}).json() == {
        "niveau": "Faible et non autorisé",
        "autorise": False,
    }
    refused = client.post("/mot-de-passe/niveau", {"password": strong})
    assert refused.status_code == 429 and "Réessayez" in refused.json()["erreur"]


def test_r_pwd_1_a_huge_password_is_refused_before_any_hashing(client):
    SpaceFactory(login_email=EMAIL)
    page = client.get("/")
    response = client.post("/", {"email": EMAIL, "password": "é" * 300_000, **captcha_post_data(page)})
    assert response.status_code == 400
    assert "128 caractères maximum" in response.content.decode()
    assert not AuditEvent.objects.filter(kind__startswith="login").exists()  # the flow never ran


def test_creation_step_2_email_answers_are_capped_per_address(client, settings):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "email_checks_per_address": {"limit": 1, "window": timedelta(hours=1)},
    }
    SpaceFactory(login_email="prise@exemple.fr")
    journey.start(client)
    first = journey.credentials(client, "prise@exemple.fr")
    assert "ne peut pas être utilisée" in first.content.decode()
    second = journey.credentials(client, "prise@exemple.fr")
    assert second.status_code == 400 and "Trop de demandes" in second.content.decode()
    assert "ne peut pas être utilisée" not in second.content.decode()


def test_r_email_2_the_code_email_is_queued_with_the_request():
    open_request(Kind.CREATION, EMAIL)
    mail = OutboxEmail.objects.get()
    assert mail.to == EMAIL and mail.subject == "Espace professionnel - Activation de l'espace"
    assert journey.last_code(EMAIL)


def test_r_pwd_3_creation_leaves_the_history_empty(client):
    journey.register(client, EMAIL, STRONG_PASSWORD)
    journey.activate(client, journey.last_code(EMAIL), EMAIL)
    assert Space.objects.get().password_history.count() == 0
