"""Hostile input on every form of J1-J3 (SPEC §4 "Bad input"): never a 500, nothing half-written."""

from urllib.parse import quote, unquote

import pytest
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import assume, example, given
from hypothesis import strategies as st

from antirobot.testing import captcha_post_data
from core.models import AuditEvent
from codes.models import PendingRequest
from accounts.models import Space
from codes import tokens
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.factories import SpaceFactory
from tests.hostile import EMAILS, FUZZ, HOSTILE, KNOWN_EMAIL, WELL_FORMED_CODES

pytestmark = pytest.mark.django_db


def nothing_written():
    assert Space.objects.count() == 0
    assert PendingRequest.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


@FUZZ
@given(email=HOSTILE, confirm=HOSTILE, password=HOSTILE)
def test_credentials_step_never_fails(client, email, confirm, password):
    journey.start(client)
    response = client.post(
        "/creation/identifiants",
        {"email": email, "email_confirm": confirm, "password": password, "password_confirm": password},
    )
    assert response.status_code in (302, 400)
    nothing_written()


@FUZZ
@given(values=st.dictionaries(st.sampled_from(list(journey.PROFILE)), HOSTILE, min_size=1))
def test_registration_form_never_fails(client, values):
    journey.start(client)
    journey.credentials(client)
    response = journey.profile(client, **values)
    assert response.status_code in (302, 400)
    nothing_written()


REFUSED_LOGIN = "L&#x27;adresse électronique ou le mot de passe est incorrect"
REFUSED_CODE = "ne permettent pas l&#x27;activation"
# Passwords of at most 128 characters that a form must hand to the flow unaltered (R-PWD-1).
HOSTILE_PASSWORDS = ["' OR 1=1 --", "<script>alert(1)</script>", "\u202e", "🙂" * 50, " ", "%00", "日本語 \t\n ok"]


def audit_count(prefix):
    return AuditEvent.objects.filter(kind__startswith=prefix).count()


@pytest.fixture
def pending_code(db):
    """One live creation request; return its code (read from the outbox, as a user would)."""
    journey.register(Client(), KNOWN_EMAIL)
    return journey.last_code(KNOWN_EMAIL)


def nothing_more_written():
    """Only the one registered request and its email exist: no space, nothing half-written."""
    assert Space.objects.count() == 0
    assert PendingRequest.objects.count() == 1 and PendingRequest.objects.get().used_at is None
    assert OutboxEmail.objects.count() == 1


@FUZZ
@given(code=st.one_of(HOSTILE, WELL_FORMED_CODES))
@example(code="AAAAAAAAAAAA")
@example(code=" AAAAAAAAAAAA ")
def test_activation_code_step_never_fails(client, code):
    """A solved captcha: the hostile code reaches the code rule and, when well formed, step 2."""
    page = client.get("/activation")
    response = client.post("/activation", {"code": code, **captcha_post_data(page)})
    assert response.status_code in (200, 400)
    page = response.content.decode()
    reached_step_2 = 'action="/activation/identifiants"' in page
    assert reached_step_2 is (response.status_code == 200)
    assert reached_step_2 is tokens.well_formed(code.strip())
    nothing_written()


@FUZZ
@given(key=HOSTILE, captcha=HOSTILE)
def test_activation_hostile_captcha_is_refused(client, key, captcha):
    response = client.post("/activation", {"code": "AAAAAAAAAAAA", "captcha": captcha, "captcha_key": key})
    assert response.status_code == 400
    assert 'action="/activation/identifiants"' not in response.content.decode()
    nothing_written()


@FUZZ
@given(email=EMAILS, action=HOSTILE)
@example(email="autre@exemple.fr", action="continue")
@example(email="' OR 1=1 --@exemple.fr", action="continue")
@example(email="a" * 10000, action="continue")
def test_activation_email_step_never_fails(client, pending_code, email, action):
    """After a real step 1 (solved captcha, live code), the hostile email reaches the flow."""
    assume(email.strip().lower() != KNOWN_EMAIL)
    page = client.get("/activation")
    assert client.post("/activation", {"code": pending_code, **captcha_post_data(page)}).status_code == 200
    before = audit_count("codes.activation_")
    response = client.post("/activation/identifiants", {"code": pending_code, "email": email, "action": action})
    assert response.status_code == 400
    if REFUSED_CODE in response.content.decode():  # the form took it: the flow refused it, and said so
        assert audit_count("codes.activation_failed") == before + 1
    else:
        assert audit_count("codes.activation_") == before
    nothing_more_written()


@FUZZ
@given(code=HOSTILE, email=EMAILS)
def test_activation_email_step_without_step_1_goes_back(client, pending_code, code, email):
    response = client.post("/activation/identifiants", {"code": code, "email": email, "action": "continue"})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response["Location"] == "/activation"
    nothing_more_written()


@FUZZ
@given(email=EMAILS, password=HOSTILE)
@example(email=KNOWN_EMAIL, password="a" * 10000)
@example(email=KNOWN_EMAIL, password="\u202e" * 64)
@example(email="inconnu@exemple.fr", password="🙂" * 50)
def test_login_never_fails(client, known_space, email, password):
    """A solved captcha each time: the hostile email and password reach the login flow."""
    page = client.get("/")
    before = audit_count("accounts.login_")
    response = client.post("/", {"email": email, "password": password, **captcha_post_data(page)})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    if REFUSED_LOGIN in response.content.decode():  # past the form: the flow refused and recorded it
        assert audit_count("accounts.login_failed") + audit_count("accounts.login_throttled") == before + 1
    else:
        assert audit_count("accounts.login_") == before


@pytest.fixture
def known_space(db):
    return SpaceFactory(login_email=KNOWN_EMAIL)


@pytest.mark.parametrize("password", HOSTILE_PASSWORDS)
def test_login_hostile_password_reaches_the_flow_and_is_refused(client, known_space, password):
    response = journey.login(client, KNOWN_EMAIL, password)
    assert response.status_code == 400
    assert REFUSED_LOGIN in response.content.decode()
    assert AuditEvent.objects.filter(kind="accounts.login_failed", space=known_space).count() == 1
    assert "_auth_user_id" not in client.session


NOT_FOUND_TITLE = "Page non trouvée"


def resolves(path):
    """Return whether path (or path + "/", which CommonMiddleware redirects to) has a view."""
    for candidate in (path, path + "/"):
        try:
            resolve(candidate)
            return True
        except Resolver404:
            continue
    return False


@FUZZ
@given(path=st.text(min_size=1, max_size=200))
@example(path="nexiste-pas")
@example(path="espace/inconnu")
@example(path="../../etc/passwd")
@example(path="%00")
def test_unknown_urls_answer_404_in_french(client, path):
    url = "/" + quote(path.lstrip("/"), safe="/")
    assume(not resolves(unquote(url)))
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert NOT_FOUND_TITLE in page and 'lang="fr"' in page
    assert "Not Found" not in page and "Traceback" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/creation/conditions-generales",
        "/creation/formulaire",
        "/creation/inscription",
        "/activation",
        "/activation/identifiants",
        "/",
        "/mot-de-passe/niveau",
    ],
)
def test_truncated_and_malformed_posts(client, url):
    journey.start(client)
    for body, content_type in (
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\ntrunc', "multipart/form-data; boundary=x"),
        (b'{"json": true}', "application/json"),
    ):
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code < 500
    nothing_written()
