"""Security branches of J2 and J3 through the Django test client (R-THROTTLE-1, R-EXP-3).

Everything is observed from outside: status, page text, database rows and audit events, so
that these tests hold whatever shape the login and activation flows take inside.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from core.models import AuditEvent

from accounts.models import Space
from tests.accounts import journey
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def captchas_are_not_the_limit(settings):
    """These tests send 50+ logins from one address: the captcha ceiling is not what they test."""
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "captchas_per_address": {"limit": 10_000, "window": timedelta(minutes=10)},
    }

EMAIL = "lila.rosemonde@exemple.fr"
WRONG_PASSWORD = "Un mauvais mot de passe assez long"
REFUSED_LOGIN = "L&#x27;adresse électronique ou le mot de passe est incorrect"
REFUSED_CODE = "ne permettent pas l&#x27;activation"
PARIS = ZoneInfo("Europe/Paris")
ADDRESS, OTHER_ADDRESS = "198.51.100.7", "203.0.113.9"
FREE_FAILURES = 5  # R-THROTTLE-1: after 5 consecutive failures
ADDRESS_FAILURES = 50  # R-THROTTLE-1: at most 50 failures per address per 10 minutes


def wrong(code):
    return ("A" if code[0] != "A" else "B") + code[1:]


def refused_login(response):
    return response.status_code == 400 and REFUSED_LOGIN in response.content.decode()


def refused_code(response):
    return response.status_code == 400 and REFUSED_CODE in response.content.decode()


def throttled(response, minutes=r"1 minute"):
    """Refused unchecked, saying until when (R-THROTTLE-1, issue 13)."""
    body = response.content.decode()
    return response.status_code == 400 and re.search(rf"Trop de tentatives : réessayez dans {minutes} \(à", body)


def logged_in(client):
    return "_auth_user_id" in client.session


# --- R-THROTTLE-1 on activation codes ------------------------------------------------------------
def test_r_throttle_1_activation_per_email_blocks_even_the_right_code(client):
    journey.register(Client(), EMAIL)
    code = journey.last_code(EMAIL)
    with time_machine.travel(datetime.now(tz=PARIS), tick=False) as traveller:
        for _ in range(FREE_FAILURES):
            assert refused_code(journey.activate(client, wrong(code), EMAIL))
        assert throttled(journey.activate(client, code, EMAIL))  # the right code, not even checked
        assert Space.objects.count() == 0
        assert AuditEvent.objects.filter(kind="codes.activation_failed", detail__reason="throttled").count() == 1
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert journey.activate(client, code, EMAIL)["Location"] == "/activation/recapitulatif"
    assert Space.objects.filter(login_email=EMAIL).count() == 1


def test_r_throttle_1_activation_per_address_blocks_every_email_from_it():
    journey.register(Client(), EMAIL)
    code = journey.last_code(EMAIL)
    attacker = Client(REMOTE_ADDR=ADDRESS)
    for n in range(ADDRESS_FAILURES):  # one failure per email: no email reaches its own limit
        assert refused_code(journey.activate(attacker, wrong(code), f"cible{n}@exemple.fr"))
    # The address's 10-minute window started with the first failure (under a minute ago).
    assert throttled(journey.activate(Client(REMOTE_ADDR=ADDRESS), code, EMAIL), r"(9|10) minutes")
    assert Space.objects.count() == 0
    assert journey.activate(Client(REMOTE_ADDR=OTHER_ADDRESS), code, EMAIL).status_code == 302
    assert Space.objects.filter(login_email=EMAIL).count() == 1


# --- R-THROTTLE-1 on logins ----------------------------------------------------------------------
def test_r_throttle_1_failures_on_an_unknown_email_count_against_it(client):
    """An attacker learns nothing by probing: an email with no space is throttled the same way,
    and the count holds if a space takes that email afterwards."""
    unknown = "pas.encore@exemple.fr"
    with time_machine.travel(datetime.now(tz=PARIS), tick=False) as traveller:
        for _ in range(FREE_FAILURES):
            assert refused_login(journey.login(client, unknown, WRONG_PASSWORD))
        assert AuditEvent.objects.filter(kind="accounts.login_failed", email=unknown).count() == FREE_FAILURES
        SpaceFactory(login_email=unknown)
        assert throttled(journey.login(client, unknown))  # right password, still blocked
        assert AuditEvent.objects.filter(kind="accounts.login_throttled", email=unknown).count() == 1
        assert not logged_in(client)
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert journey.login(client, unknown).status_code == 302


def test_r_throttle_1_failures_on_unknown_emails_count_against_the_address():
    SpaceFactory(login_email=EMAIL)
    attacker = Client(REMOTE_ADDR=ADDRESS)
    for n in range(ADDRESS_FAILURES):
        assert refused_login(journey.login(attacker, f"inconnu{n}@exemple.fr", WRONG_PASSWORD))
    same_address = Client(REMOTE_ADDR=ADDRESS)
    assert throttled(journey.login(same_address, EMAIL), r"(9|10) minutes")
    assert not logged_in(same_address)
    other_address = Client(REMOTE_ADDR=OTHER_ADDRESS)
    assert journey.login(other_address, EMAIL).status_code == 302


def test_r_throttle_1_a_success_resets_the_consecutive_failures(client):
    SpaceFactory(login_email=EMAIL)
    for _ in range(2):  # 4 + 4 failures: blocked at the fifth unless the success in between reset
        for _ in range(FREE_FAILURES - 1):
            assert refused_login(journey.login(client, EMAIL, WRONG_PASSWORD))
        assert journey.login(client, EMAIL).status_code == 302
        assert client.post("/deconnexion").status_code == 302
    assert not AuditEvent.objects.filter(kind="accounts.login_throttled").exists()


# --- R-EXP-3 for a session opened before the expiry ----------------------------------------------
@pytest.fixture
def session_across_expiry(client):
    """Log in at 23:50 (Paris) on the last valid day; return the traveller, still before midnight."""
    space = SpaceFactory(login_email=EMAIL)
    last_day = datetime(2027, 3, 10, 23, 50, tzinfo=PARIS)
    Space.objects.filter(pk=space.pk).update(password_expires_on=last_day.date())
    with time_machine.travel(last_day, tick=False) as traveller:
        assert journey.login(client, EMAIL).status_code == 302
        assert client.get("/espace").status_code == 200
        yield space, traveller


@pytest.mark.parametrize("path", ["/espace", "/espace/gerer", "/espace/recapitulatif.pdf", "/"])
def test_r_exp_3_an_open_session_reaches_nothing_once_the_password_expired(client, session_across_expiry, path):
    space, traveller = session_across_expiry
    traveller.shift(timedelta(minutes=15))  # 00:05 the next day: expired, not idle
    response = client.get(path, follow=True)
    for hop, _ in response.redirect_chain:
        assert hop in ("/", "/espace")
    assert response.status_code == 200 and response.request["PATH_INFO"] == "/"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert space.subscriber_number not in page and "Me déconnecter" not in page
    assert not logged_in(client)
    for other in ("/espace", "/espace/gerer", "/espace/recapitulatif.pdf"):
        assert client.get(other).status_code == 302
    assert not AuditEvent.objects.filter(kind="accounts.recap_downloaded").exists()


def test_r_exp_3_the_session_is_fine_until_the_end_of_the_last_day(client, session_across_expiry):
    _, traveller = session_across_expiry
    traveller.shift(timedelta(minutes=9))  # 23:59 on the last valid day
    assert client.get("/espace/gerer").status_code == 200
    assert client.get("/espace/recapitulatif.pdf")["Content-Type"] == "application/pdf"
