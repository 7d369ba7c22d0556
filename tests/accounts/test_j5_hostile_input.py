"""Hostile input on the forms of J5 "Mot de passe oublié ?" (SPEC §4 "Bad input"):
never a 500, a French message by the field, nothing half-written."""

import pytest
from django.contrib.auth.hashers import check_password
from hypothesis import example, given
from hypothesis import strategies as st

from antirobot.testing import captcha_post_data
from codes.models import PendingRequest
from mailer.models import OutboxEmail
from tests.accounts.recovery_steps import NEW_PASSWORD, give_code, reset_code
from tests.factories import STRONG_PASSWORD, TRUST_ANSWER, SpaceFactory
from tests.hostile import EMAILS, FUZZ, HOSTILE, KNOWN_EMAIL, WELL_FORMED_CODES

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_space(db):
    return SpaceFactory(login_email=KNOWN_EMAIL)


@FUZZ
@given(email=EMAILS)
@example(email="a" * 10000)
@example(email=" Lila.Rosemonde@Exemple.FR ")
def test_j5_email_step_never_fails(client, known_space, settings, email):
    """A solved captcha each time: the hostile email reaches the flow, which emails only the space."""
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "reset_requests_per_address": {"limit": 10**6, "window": settings.CAPTCHA_TTL},
        "captchas_per_address": {"limit": 10**6, "window": settings.CAPTCHA_TTL},
    }
    before = OutboxEmail.objects.count()
    page = client.get("/mot-de-passe-oublie")
    response = client.post("/mot-de-passe-oublie", {"email": email, **captcha_post_data(page)})
    assert response.status_code in (302, 400)
    sent = OutboxEmail.objects.count() - before
    if response.status_code == 400:
        assert "fr-error-text" in response.content.decode()
        assert sent == 0
    for mail in OutboxEmail.objects.all():
        assert mail.to == KNOWN_EMAIL
    assert PendingRequest.objects.exclude(space=known_space).count() == 0


@FUZZ
@given(email=EMAILS, code=st.one_of(HOSTILE, WELL_FORMED_CODES))
@example(email=KNOWN_EMAIL, code="AAAAAAAAAAAA")
def test_j5_code_step_never_fails(client, known_space, email, code):
    response = give_code(client, email, code)
    assert response.status_code == 400  # no live code exists: nothing passes
    assert known_space.trust_question not in response.content.decode()
    assert "digest" not in client.session.get("espace_recovery", {})


@pytest.fixture
def at_step_3(client, known_space):
    """A real request and a proven code; return the code."""
    page = client.get("/mot-de-passe-oublie")
    client.post("/mot-de-passe-oublie", {"email": KNOWN_EMAIL, **captcha_post_data(page)})
    code = reset_code(KNOWN_EMAIL)
    assert give_code(client, KNOWN_EMAIL, code).status_code == 200
    return code


@FUZZ
@given(
    values=st.dictionaries(
        st.sampled_from(["code", "answer", "password", "password_confirm"]), HOSTILE, min_size=1
    )
)
@example(values={"answer": "a" * 10000})
@example(values={"password": "\x00" * 30, "password_confirm": "\x00" * 30})
def test_j5_reset_step_never_fails(client, known_space, at_step_3, settings, values):
    """Hostile values over valid ones: refused by the field or by the flow, the password unchanged."""
    settings.RESET_ANSWER_ATTEMPTS = 10**6  # the fuzzing must not void the code
    data = {"code": at_step_3, "answer": TRUST_ANSWER, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    data.update(values)
    done_before = PendingRequest.objects.get(space=known_space).used_at is not None
    response = client.post("/mot-de-passe-oublie/nouveau", data)
    known_space.refresh_from_db()
    if done_before:  # an earlier example reset it: the used code leads back to the code page
        assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/code"
        return
    if response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/termine":
        # Only when every hostile value happened to be valid (e.g. a hostile but strong password).
        assert data["code"] == at_step_3 and data["answer"] == TRUST_ANSWER
        assert check_password(data["password"], known_space.password)
        return
    assert response.status_code in (302, 400)
    assert check_password(STRONG_PASSWORD, known_space.password)
    assert PendingRequest.objects.get(space=known_space).used_at is None
