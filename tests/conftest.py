import copy
import functools
import importlib
import importlib.util
import os
import socket
import uuid
from unittest import mock

import pytest

pytest_plugins = ["tests.smtp_server"]

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
LOCAL_REDIS = ("127.0.0.1", 6379)


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


def answers_ping(host: str, port: int) -> bool:
    """Return whether a Redis answers PING on host:port (a closed port refuses at once)."""
    try:
        with socket.create_connection((host, port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@functools.cache
def redis_url() -> str:
    """Return the URL of the Redis the `redis` tests use, or "" when there is none.

    REDIS_URL when set (the PostgreSQL pass, whose stores are all Redis already); else
    TEST_REDIS_URL (bin/run-tests hands REDIS_URL to the SQLite pass under this name, so that
    the pass keeps its database stores and only these tests use Redis); else a Redis that
    answers on 127.0.0.1:6379 (database 0), so that a developer's machine runs them too.
    """
    for name in ("REDIS_URL", "TEST_REDIS_URL"):
        if os.environ.get(name, "").strip():
            return os.environ[name].strip()
    return "redis://{}:{}/0".format(*LOCAL_REDIS) if answers_ping(*LOCAL_REDIS) else ""


def fresh_settings(**environment):
    """Return a fresh copy of config.settings as read under os.environ updated with environment
    (a value of None unsets the variable); the settings in use stay as they are."""
    return _fresh_settings(tuple(sorted(environment.items())))


@functools.cache
def _fresh_settings(environment: tuple):
    origin = importlib.util.find_spec("config.settings").origin
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("fresh_settings", origin))
    with mock.patch.dict(os.environ):
        for name, value in environment:
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        module.__spec__.loader.exec_module(module)
    return module


def settings_under_redis(url: str) -> dict:
    """Return the CACHES and SESSION_ENGINE config.settings chooses when REDIS_URL is url."""
    chosen = fresh_settings(REDIS_URL=url)
    return {"CACHES": chosen.CACHES, "SESSION_ENGINE": chosen.SESSION_ENGINE}


@pytest.fixture
def redis_stores(settings):
    """Sessions and rate-limit counters in Redis, as the settings put them when REDIS_URL is set,
    under key prefixes of this test alone (other workers, and other runs, share the server);
    the test's keys are deleted after it. Skips without a Redis (fails with REQUIRE_SERVICES=1).
    Return the Redis connection."""
    from django_redis import get_redis_connection

    from core import throttle

    url = redis_url()
    need(bool(url), "Redis requis (REDIS_URL, TEST_REDIS_URL ou un Redis sur 127.0.0.1:6379)")
    chosen = settings_under_redis(url)
    prefix = f"espacepro-test-{uuid.uuid4().hex}"
    caches = copy.deepcopy(chosen["CACHES"])
    caches["default"]["KEY_PREFIX"] = prefix
    settings.REDIS_URL = url
    settings.CACHES = caches
    settings.SESSION_ENGINE = chosen["SESSION_ENGINE"]
    settings.THROTTLE_REDIS_PREFIX = f"{prefix}:throttle:"
    throttle.default_store.cache_clear()
    redis = get_redis_connection("default")
    yield redis
    keys = list(redis.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        redis.delete(*keys)
    throttle.default_store.cache_clear()


@pytest.fixture(autouse=True)
def guide_catalogue(request):
    """Guide 001's catalogue, for transactional tests (browser, races): the flush that ends each
    of them empties the tables, data migrations' rows included, and nothing loads them again."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and "transactional_db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from catalogue.models import Service

    if not Service.objects.exists():
        importlib.import_module("catalogue.migrations.0002_guide_001").load(apps, None)


@pytest.fixture
def companies(settings):
    """The register of tests/companies.py (see its docstring), for SPEC §5's tests."""
    from tests import companies as known

    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    known.add_demo_companies()
    yield known
    known.KNOWN.clear()


@pytest.fixture
def spool(settings, tmp_path):
    """The folder the letters worker hands this test's letters over to (LETTER_SPOOL_DIR)."""
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    return settings.LETTER_SPOOL_DIR
