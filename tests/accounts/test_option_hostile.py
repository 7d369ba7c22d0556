"""Hostile input on every form of J8 (SPEC §4 "Bad input"): never a 500, nothing half-written."""

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from antirobot.testing import captcha_post_data
from accounts.models import AccessMode, Space
from accounts.kinds import Kind
from codes.models import PendingRequest
from mailer.models import OutboxEmail
from tests.accounts.option_steps import CABINET, certificate_login, certificate_space, credentials
from tests.factories import STRONG_PASSWORD
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db

INSIDE = "/espace/option-sans-certificat"


def untouched(space: Space) -> None:
    space.refresh_from_db()
    assert space.access_mode == AccessMode.CERTIFICATE and space.login_email is None
    assert not PendingRequest.objects.filter(kind=Kind.OPTION).exists()


@pytest.fixture
def space(db):
    return certificate_space()


@FUZZ
@given(email=HOSTILE, confirm=HOSTILE, password=HOSTILE)
def test_option_credentials_never_fail(space, email, confirm, password):
    client = Client()
    certificate_login(client, space)
    client.post(INSIDE)
    data = {"email": email, "email_confirm": confirm, "password": password, "password_confirm": password}
    assert client.post(f"{INSIDE}/identifiants", data).status_code in (302, 400)
    untouched(space)
    assert not OutboxEmail.objects.exists()


@FUZZ
@given(question=HOSTILE, answer=HOSTILE, action=st.one_of(HOSTILE, st.just("confirm")))
def test_option_trust_step_never_fails(space, question, answer, action):
    client = Client()
    certificate_login(client, space)
    client.post(INSIDE)
    assert credentials(client, INSIDE, "lila@exemple.fr").status_code == 302
    data = {"trust_question": question, "trust_answer": answer, "action": action}
    assert client.post(f"{INSIDE}/question", data).status_code in (302, 400)
    untouched(space)  # a hostile question is never one of the list: nothing stored


@FUZZ
@given(number=HOSTILE, email=HOSTILE)
def test_option_recovery_request_never_fails(space, number, email):
    client = Client()
    page = client.get("/option-sans-certificat")
    data = {"subscriber_number": number, "email": email, **captcha_post_data(page)}
    response = client.post("/option-sans-certificat", data)
    assert response.status_code in (302, 400)
    # A hostile number or email never matches the space: no code is sent.
    assert not OutboxEmail.objects.exists() and not PendingRequest.objects.exists()


@FUZZ
@given(number=HOSTILE, code=HOSTILE)
def test_option_recovery_code_never_fails(space, number, code):
    client = Client()
    response = client.post("/option-sans-certificat/code", {"subscriber_number": number, "code": code})
    assert response.status_code == 400
    assert "espace_option" not in client.session or "space" not in client.session["espace_option"]


@pytest.mark.parametrize(
    "url",
    [INSIDE, f"{INSIDE}/identifiants", f"{INSIDE}/question", "/option-sans-certificat", "/option-sans-certificat/code"],
)
def test_option_truncated_posts(client, space, url):
    certificate_login(client, space)
    assert client.post(url, {}).status_code in (302, 400)
    assert client.post(url, {"email": ["a", "b"], "password": STRONG_PASSWORD[:3]}).status_code in (302, 400)
    untouched(space)


def test_option_recovery_hostile_captcha(space):
    client = Client()
    client.get("/option-sans-certificat")
    number = space.subscriber_number
    data = {"subscriber_number": number, "email": CABINET, "captcha_key": "x" * 5000, "captcha": "\x00"}
    assert client.post("/option-sans-certificat", data).status_code == 400
    assert not OutboxEmail.objects.exists()
