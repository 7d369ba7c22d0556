"""R-THROTTLE-1: a refusal knows when it ends (Admission.until), whichever limit refused it,
and the message says it in minutes and at Paris time (issue 13, item 1)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from core import clock
from core.messages import message, refusal, throttled
from core.throttle import DatabaseStore, RedisStore, Throttle

pytestmark = pytest.mark.django_db
T = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # 10h00 in Paris


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def store(request):
    """Each store the settings may choose: the database, and Redis (REDIS_URL)."""
    if request.param == "redis":
        request.getfixturevalue("redis_stores")
        return RedisStore()
    return DatabaseStore()


def fail(throttle, n, account, address="192.0.2.1"):
    for _ in range(n):
        assert throttle.allows(account=account, address=address)
        throttle.failed(account=account, address=address)


def test_r_throttle_1_an_account_block_ends_at_its_delay(store):
    throttle = Throttle(store)
    with time_machine.travel(T, tick=False) as traveller:
        fail(throttle, 5, account="a@exemple.fr")
        traveller.shift(timedelta(seconds=20))
        refused = throttle.allows(account="a@exemple.fr", address="192.0.2.1")
        assert not refused and refused.until == T + timedelta(minutes=1)
        assert throttle.allows(account="a@exemple.fr", address="192.0.2.1").until == T + timedelta(minutes=1)


def test_r_throttle_1_the_address_ceiling_ends_with_its_window(store):
    throttle = Throttle(store)
    with time_machine.travel(T, tick=False) as traveller:
        for n in range(50):
            throttle.failed(account=f"u{n}@exemple.fr", address="198.51.100.7")
        if not isinstance(store, RedisStore):  # Redis counts its keys' life in real time
            traveller.shift(timedelta(minutes=3))
        refused = throttle.allows(account="nouveau@exemple.fr", address="198.51.100.7")
        assert not refused and abs(refused.until - (T + timedelta(minutes=10))) < timedelta(seconds=1)


def test_r_throttle_1_the_later_end_wins_when_account_and_address_both_refuse():
    throttle = Throttle(DatabaseStore())
    with time_machine.travel(T, tick=False):
        for n in range(45):
            throttle.failed(account=f"u{n}@exemple.fr", address="198.51.100.7")
        fail(throttle, 5, account="a@exemple.fr", address="198.51.100.7")  # blocked 1 min; address at 50
        assert throttle.allows(account="a@exemple.fr", address="198.51.100.7").until == T + timedelta(minutes=10)
        assert throttle.allows(account="a@exemple.fr", address="192.0.2.9").until == T + timedelta(minutes=1)


def test_r_throttle_1_the_hourly_check_budget_ends_with_its_hour():
    throttle = Throttle(DatabaseStore())
    with time_machine.travel(T, tick=False) as traveller:
        for _ in range(100):
            assert throttle.allows(account="c@exemple.fr", address=None)
        traveller.shift(timedelta(minutes=20))
        refused = throttle.allows(account="c@exemple.fr", address=None)
        assert not refused and refused.until == T + timedelta(hours=1)


def test_a_window_that_has_no_count_ends_one_window_from_now(store):
    with time_machine.travel(T, tick=False):
        assert store.window_end("jamais-compte", timedelta(minutes=10)) == T + timedelta(minutes=10)


@pytest.mark.parametrize(
    ("until", "text"),
    [
        (T + timedelta(minutes=1), "réessayez dans 1 minute (à 10h01, heure de Paris)."),
        (T + timedelta(seconds=30), "réessayez dans 1 minute (à 10h01, heure de Paris)."),
        (T + timedelta(minutes=2), "réessayez dans 2 minutes (à 10h02, heure de Paris)."),
        (T + timedelta(minutes=4, seconds=1), "réessayez dans 5 minutes (à 10h05, heure de Paris)."),
        (T + timedelta(hours=1), "réessayez dans 60 minutes (à 11h00, heure de Paris)."),
        (T - timedelta(seconds=1), "réessayez dans 1 minute (à 10h00, heure de Paris)."),  # over: never "0 minute"
    ],
)
def test_r_throttle_1_the_message_rounds_up_and_speaks_paris_time(until, text):
    with time_machine.travel(T, tick=False):
        assert throttled(until) == f"Trop de tentatives : {text}"


def test_r_throttle_1_the_message_follows_paris_summer_time():
    summer = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # 11h00 in Paris
    with time_machine.travel(summer, tick=False):
        assert "à 11h02, heure de Paris" in throttled(summer + timedelta(minutes=2))


def test_a_refusal_without_an_end_keeps_its_own_message():
    assert refusal("login_refused", None) == message("login_refused")
    assert refusal("login_refused", T).startswith("Trop de tentatives")
