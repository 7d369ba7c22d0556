"""J3 on the Redis stores (SPEC §4 "Scale", R-THROTTLE-1): the session and the rate-limit
counters live in Redis, where every app node reads them, and nothing of them in the database.
Run in the SQLite pass too whenever a Redis is there (tests/conftest.py, redis_url)."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.contrib.sessions.models import Session

from core import clock
from core.models import AuditEvent, ThrottleCounter
from tests.accounts import journey
from tests.factories import SpaceFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db]
EMAIL = "lila.rosemonde@exemple.fr"
WRONG_PASSWORD = "Un mauvais mot de passe assez long"


def test_spec_4_j3_login_home_and_logout_on_redis_sessions(client, redis_stores, settings):
    SpaceFactory(login_email=EMAIL)
    assert journey.login(client, EMAIL)["Location"] == "/espace"
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert store(key).exists(key) and not Session.objects.exists()
    assert client.get("/espace").status_code == 200
    assert client.post("/deconnexion").status_code == 302
    assert not store(key).exists(key)  # ended on the server, for every node
    assert client.get("/espace")["Location"].startswith("/")


def test_r_throttle_1_j3_failures_counted_in_redis_block_even_the_right_password(client, redis_stores, settings):
    SpaceFactory(login_email=EMAIL)
    for _ in range(5):
        assert journey.login(client, EMAIL, WRONG_PASSWORD).status_code == 400
    assert journey.login(client, EMAIL).status_code == 400
    assert AuditEvent.objects.filter(kind="accounts.login_throttled", email=EMAIL).exists()
    assert not ThrottleCounter.objects.exists()
    assert list(redis_stores.scan_iter(match=f"{settings.THROTTLE_REDIS_PREFIX}*acct:{EMAIL}"))
    with time_machine.travel(clock.now() + timedelta(minutes=1, seconds=1), tick=False):
        assert journey.login(client, EMAIL)["Location"] == "/espace"
