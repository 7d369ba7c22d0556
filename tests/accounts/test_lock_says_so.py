"""R-THROTTLE-1: a blocked account is told until when, on every guarded form (issue 13, item 1).

After the 5th failure the next attempt, even with the right secret, is refused unchecked and
says "Trop de tentatives : réessayez dans N minutes (à HHhMM, heure de Paris)". The clock is
frozen at 10h00 in Paris (09:00 UTC in winter), so the first delay (1 minute) ends at 10h01.
Each failure before the lock gets the form's own refusal, which speaks of a wrong entry only:
no "ou l'accès est momentanément bloqué" (the lock now says so itself).
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils.html import escape

from antirobot.testing import captcha_post_data
from tests.accounts import journey
from tests.accounts.credentials_steps import change, password_box
from tests.accounts.option_steps import CABINET, ask_recovery, certificate_space, recovery_code
from tests.accounts.recovery_steps import ask, give_answer, give_code, other, reset_code, up_to_answer
from core.messages import message
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"
WRONG = "un mauvais mot de passe de vingt caractères"
TEN_AM_PARIS = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
ONE_MINUTE = "Trop de tentatives : réessayez dans 1 minute (à 10h01, heure de Paris)."


@pytest.fixture
def ten_am(time_machine):
    time_machine.move_to(TEN_AM_PARIS, tick=False)
    return time_machine


def says(response, text=ONE_MINUTE):
    return response.status_code == 400 and text in response.content.decode()


def plain(response, code):
    """The wrong entry's own refusal (message code), which says nothing of a lock."""
    body = response.content.decode()
    return (
        response.status_code == 400
        and escape(message(code)) in body
        and "Trop de tentatives" not in body
        and not re.search("momentanément|bloqué", body)
    )


def test_r_throttle_1_login_says_until_when_even_to_the_right_password(client, ten_am):
    SpaceFactory(login_email=EMAIL)
    for _ in range(5):
        assert plain(journey.login(client, EMAIL, WRONG), "login_refused")
    assert says(journey.login(client, EMAIL))
    # 30 s later: still 1 minute (rounded up), still 10h01.
    ten_am.move_to(TEN_AM_PARIS + timedelta(seconds=30), tick=False)
    assert says(journey.login(client, EMAIL))
    # The block is over at 10h01; the 6th failure doubles the delay: 2 minutes, until 10h03.
    ten_am.move_to(TEN_AM_PARIS + timedelta(minutes=1), tick=False)
    assert plain(journey.login(client, EMAIL, WRONG), "login_refused")
    assert says(journey.login(client, EMAIL), "réessayez dans 2 minutes (à 10h03, heure de Paris).")


def test_r_throttle_1_login_of_an_unknown_email_says_until_when_too(client, ten_am):
    for _ in range(5):
        assert plain(journey.login(client, "inconnue@exemple.fr", WRONG), "login_refused")
    assert says(journey.login(client, "inconnue@exemple.fr"))


def test_r_throttle_1_j5_code_says_until_when(client, ten_am):
    space = SpaceFactory(login_email=EMAIL)
    assert ask(client, EMAIL).status_code == 302
    code = reset_code(space.login_email)
    for _ in range(5):
        assert plain(give_code(client, EMAIL, other(code)), "reset_code_refused")
    assert says(give_code(client, EMAIL, code))


def test_r_throttle_1_j5_answer_says_until_when(client, ten_am, settings):
    settings.RESET_ANSWER_ATTEMPTS = 10
    space = SpaceFactory(login_email=EMAIL)
    code = up_to_answer(client, space)
    for _ in range(5):
        assert plain(give_answer(client, code, answer="Bidule"), "reset_answer_refused")
    assert says(give_answer(client, code))


def test_r_throttle_1_j6_old_password_says_until_when(client, time_machine):
    time_machine.move_to(datetime(2026, 2, 23, 15, 0, tzinfo=UTC), tick=False)
    SpaceFactory(login_email=EMAIL)  # valid until 22/02/2029
    time_machine.move_to(datetime(2029, 3, 1, 9, 0, tzinfo=UTC), tick=False)  # 10h00 in Paris
    page = client.get("/mot-de-passe-expire")
    assert client.post("/mot-de-passe-expire", {"email": EMAIL, **captcha_post_data(page)}).status_code == 302

    def step_2(old):
        new = "Une girafe mauve traverse le pont d'Avignon 2029"
        data = {"old_password": old, "password": new, "password_confirm": new}
        return client.post("/mot-de-passe-expire/nouveau", data)

    for _ in range(5):
        assert plain(step_2(WRONG), "expired_refused")
    assert says(step_2(STRONG_PASSWORD))


def test_r_throttle_1_j4_current_password_says_until_when(client, ten_am):
    SpaceFactory(login_email=EMAIL)
    assert journey.login(client, EMAIL).status_code == 302
    for _ in range(5):
        assert plain(change(client, current=WRONG, **password_box()), "current_password_refused")
    assert says(change(client, **password_box()))


def test_r_throttle_1_j2_activation_code_says_until_when(client, ten_am):
    journey.register(client, EMAIL)
    code = journey.last_code(EMAIL)
    for _ in range(5):
        assert plain(journey.activate(client, other(code), EMAIL), "code_refused")
    assert says(journey.activate(client, code, EMAIL))


def test_r_throttle_1_j8_outside_code_says_until_when(client, ten_am):
    space = certificate_space()
    ask_recovery(client, space.subscriber_number, CABINET)
    code = recovery_code(CABINET)

    def give(value):
        data = {"subscriber_number": space.subscriber_number, "code": value}
        return client.post("/option-sans-certificat/code", data)

    for _ in range(5):
        assert plain(give(other(code)), "option_code_refused")
    assert says(give(code))
