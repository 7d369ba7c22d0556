import os

import pytest

pytest_plugins = ["tests.smtp_server"]

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need(condition: bool, reason: str):
    """Skip when a real service is missing, but fail in CI (REQUIRE_SERVICES=1)."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"service requis absent : {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def fresh_throttle_counters(settings):
    """Rate-limit counters of one test never leak into the next (Redis outlives tests)."""
    from core import throttle

    throttle.default_store.cache_clear()
    if settings.REDIS_URL:
        store = throttle.RedisStore()
        keys = list(store.redis.scan_iter(match=settings.THROTTLE_REDIS_PREFIX + "*", count=1000))
        if keys:
            store.redis.delete(*keys)
    yield
