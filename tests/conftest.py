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
    from espace.services import throttle

    throttle.default_store.cache_clear()
    if settings.REDIS_URL:
        store = throttle.RedisStore()
        keys = list(store.redis.scan_iter(match=settings.THROTTLE_REDIS_PREFIX + "*", count=1000))
        if keys:
            store.redis.delete(*keys)
    yield


@pytest.fixture(autouse=True)
def j4_credentials_route(settings):
    """J6's home links to J4's "espace:credentials" (R-EXP-1). On a branch without J4, a test
    URLconf provides the name; once J4 is merged the real route is found and this does nothing."""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("espace:credentials")
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.espace.urls_j6"
