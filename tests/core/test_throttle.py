"""R-THROTTLE-1 on the database store, and on the Redis store that every app node shares."""

import uuid
from datetime import timedelta

import pytest
import time_machine

from core import clock
from core.throttle import DatabaseStore, RedisStore, Throttle

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
def store(request):
    """Each store the settings may choose: the database, and Redis (REDIS_URL)."""
    if request.param == "redis":
        request.getfixturevalue("redis_stores")
        return RedisStore()
    return DatabaseStore()


def fail(throttle, n, account="a@exemple.fr", address="192.0.2.1"):
    """Fail n checks of account from address, each one allowed first."""
    for _ in range(n):
        assert throttle.allows(account=account, address=address)
        throttle.failed(account=account, address=address)


def check_throttle(throttle, account="a@exemple.fr", address="192.0.2.1"):
    """Five failures block 1 minute, the sixth 2 minutes, a success resets."""
    with time_machine.travel(clock.now(), tick=False) as traveller:
        fail(throttle, 5, account, address)
        assert not throttle.allows(account=account, address=address)
        traveller.shift(timedelta(seconds=61))
        fail(throttle, 1, account, address)  # sixth failure: two minutes now
        traveller.shift(timedelta(seconds=61))
        assert not throttle.allows(account=account, address=address)
        traveller.shift(timedelta(seconds=60))
        assert throttle.allows(account=account, address=address)
        throttle.succeeded(account=account)
        fail(throttle, 4, account, address)
        assert throttle.allows(account=account, address=address)


def test_r_throttle_1_blocks_after_five_failures_doubling_and_success_resets(store):
    check_throttle(Throttle(store))


def test_r_throttle_1_delay_is_capped_at_one_hour(store):
    throttle = Throttle(store)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(15):
            throttle.failed(account="b@exemple.fr", address=None)
        traveller.shift(timedelta(minutes=59))
        assert not throttle.allows(account="b@exemple.fr", address=None)
        traveller.shift(timedelta(minutes=2))
        assert throttle.allows(account="b@exemple.fr", address=None)


def test_r_throttle_1_at_most_100_checks_per_account_per_hour():
    throttle = Throttle(DatabaseStore())
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(100):
            assert throttle.allows(account="c@exemple.fr", address=None)
            throttle.succeeded(account="c@exemple.fr")
        assert not throttle.allows(account="c@exemple.fr", address=None)
        traveller.shift(timedelta(hours=1, seconds=1))
        assert throttle.allows(account="c@exemple.fr", address=None)


def test_r_throttle_1_fifty_failures_per_address_per_ten_minutes():
    throttle = Throttle(DatabaseStore())
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for n in range(50):
            throttle.failed(account=f"u{n}@exemple.fr", address="198.51.100.7")
        assert not throttle.allows(account="nouveau@exemple.fr", address="198.51.100.7")
        assert throttle.allows(account="nouveau@exemple.fr", address="198.51.100.8")
        traveller.shift(timedelta(minutes=10, seconds=1))
        assert throttle.allows(account="nouveau@exemple.fr", address="198.51.100.7")


def test_r_throttle_1_support_can_lift_the_delay(store):
    throttle = Throttle(store)
    fail(throttle, 5, account="d@exemple.fr")
    assert not throttle.allows(account="d@exemple.fr", address=None)
    throttle.lift(account="d@exemple.fr")
    assert throttle.allows(account="d@exemple.fr", address=None)


@pytest.mark.parametrize("keys", [1, 2, 3, 5])
def test_the_database_store_reads_any_number_of_keys_in_their_windows(keys):
    """The read of a check is a prepared query of 3 keys; fewer are padded, more read by the ORM."""
    store, window = DatabaseStore(), timedelta(minutes=10)
    names = [f"k{index}" for index in range(keys)]
    for index, name in enumerate(names):
        for _ in range(index + 1):
            store.incr(name, window)
    store.block(names[0], clock.now() + window)
    store.incr("elsewhere", window)
    found, blocked = store.read({name: window for name in names}, (names[0],))
    assert found == {name: index + 1 for index, name in enumerate(names)}
    assert list(blocked) == [names[0]]
    with time_machine.travel(clock.now() + window + timedelta(seconds=1)):
        assert store.read({name: window for name in names}, ()) == ({}, {})


# --- the Redis store only -------------------------------------------------------------------


@pytest.mark.redis
def test_r_throttle_1_redis_counts_are_shared_between_store_instances(redis_stores):
    throttle_a, throttle_b = Throttle(RedisStore()), Throttle(RedisStore())  # two app nodes
    account = f"{uuid.uuid4()}@exemple.fr"
    for _ in range(5):
        throttle_a.failed(account=account, address=None)
    assert not throttle_b.allows(account=account, address=None)


@pytest.mark.redis
def test_r_throttle_1_redis_counters_expire_with_their_window(redis_stores):
    """Redis forgets a counter at the end of its window by itself (no housekeeping)."""
    store = RedisStore()
    assert store.incr("ceiling", timedelta(minutes=10)) == 1
    assert store.incr("ceiling", timedelta(minutes=10)) == 2
    assert 590 <= redis_stores.ttl(store.prefix + "ceiling") <= 600  # the first increment set it


def test_r_throttle_1_state_reads_failures_and_delay_without_counting(store):
    """The assistance console's read (R-AST-1): what runs against an account, nothing counted."""
    throttle = Throttle(store)
    account = f"etat-{uuid.uuid4().hex}@exemple.fr"
    with time_machine.travel(clock.now(), tick=False):
        assert throttle.state(account=account).failures == 0
        fail(throttle, 4, account)
        assert throttle.state(account=account).failures == 4
        assert throttle.state(account=account).blocked_until is None
        throttle.failed(account=account, address=None)
        state = throttle.state(account=account)
        assert state.failures == 5 and state.blocked_until == clock.now() + timedelta(minutes=1)
        assert throttle.state(account=account) == state  # reading twice changed nothing
        throttle.lift(account=account)
        assert throttle.state(account=account).failures == 0
