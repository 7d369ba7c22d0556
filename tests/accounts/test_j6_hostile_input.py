"""Hostile input on J6's forms and URLs (SPEC §4 "Bad input"): never a 500, nothing half-written."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from antirobot.testing import captcha_post_data
from accounts.models import Space
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.factories import STRONG_PASSWORD, SpaceFactory
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
EMAIL = "lila@exemple.fr"
EMAILS = st.one_of(HOSTILE, st.sampled_from([EMAIL, " Lila@Exemple.FR ", "inconnu@exemple.fr"]), st.emails())


@pytest.fixture
def expired(time_machine):
    time_machine.move_to(datetime(2026, 2, 23, 15, tzinfo=UTC), tick=False)
    space = SpaceFactory(login_email=EMAIL)
    time_machine.move_to(datetime(2029, 3, 1, 12, tzinfo=UTC), tick=False)
    return space


def untouched(space):
    space.refresh_from_db()
    assert space.password_expires_on == date(2029, 2, 22)
    assert not OutboxEmail.objects.exists()


@FUZZ
@given(email=EMAILS, captcha=HOSTILE)
@example(email="a" * 10000, captcha="")
def test_expired_email_step_never_fails(client, expired, email, captcha):
    page = client.get("/mot-de-passe-expire")
    solved = captcha_post_data(page)
    response = client.post("/mot-de-passe-expire", {"email": email, **solved})
    assert response.status_code in (302, 400)
    response = client.post("/mot-de-passe-expire", {"email": EMAIL, "captcha": captcha, "captcha_key": captcha})
    assert response.status_code == 400
    untouched(expired)


@FUZZ
@given(old=HOSTILE, new=HOSTILE, confirm=HOSTILE)
@example(old=STRONG_PASSWORD, new="a" * 10000, confirm="a" * 10000)
@example(old="a" * 10000, new="Une girafe mauve traverse le pont 2029", confirm="Une girafe mauve traverse le pont")
def test_expired_password_step_never_fails(client, expired, old, new, confirm):
    page = client.get("/mot-de-passe-expire")
    assert client.post("/mot-de-passe-expire", {"email": EMAIL, **captcha_post_data(page)}).status_code == 302
    response = client.post(
        "/mot-de-passe-expire/nouveau", {"old_password": old, "password": new, "password_confirm": confirm}
    )
    assert response.status_code == 400
    untouched(expired)


@FUZZ
@given(page=HOSTILE)
def test_history_page_number_never_fails(client, page):
    if not Space.objects.filter(login_email="histo@exemple.fr").exists():
        SpaceFactory(login_email="histo@exemple.fr")
    if not client.session.get("_auth_user_id"):
        assert journey.login(client, "histo@exemple.fr").status_code == 302
    response = client.get("/espace/historique", {"page": page})
    assert response.status_code == 200


def test_expired_steps_refuse_other_methods(client):
    for url in ("/mot-de-passe-expire", "/mot-de-passe-expire/nouveau"):
        assert client.put(url).status_code == 405
    for url in ("/mot-de-passe-expire/recapitulatif", "/espace/historique", "/espace/alerte-expiration"):
        assert client.post(url).status_code == 405
