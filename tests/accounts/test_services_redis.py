"""R-THROTTLE-1 on the Redis store, shared by all app nodes (needs REDIS_URL)."""

import os
import uuid

import pytest

from core.throttle import RedisStore, Throttle
from tests.conftest import need
from tests.accounts.test_throttle import check_throttle

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_store(settings):
    need(bool(os.environ.get("REDIS_URL")), "Redis requis (REDIS_URL)")
    return RedisStore()  # keys are unique per test: other workers share this Redis


def test_r_throttle_1_redis_store_blocks_doubles_and_resets(redis_store):
    check_throttle(Throttle(redis_store), account=f"{uuid.uuid4()}@exemple.fr", address=None)


def test_r_throttle_1_redis_counts_are_shared_between_store_instances(redis_store):
    other_node = RedisStore()
    throttle_a, throttle_b = Throttle(redis_store), Throttle(other_node)
    account = f"{uuid.uuid4()}@exemple.fr"
    for _ in range(5):
        throttle_a.failed(account=account, address=None)
    assert not throttle_b.allows(account=account, address=None)
