"""The database session store: a new session is one INSERT; a taken key is drawn again."""

from importlib import import_module

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.sessions.db import SessionStore


def keys_then_fresh(monkeypatch, taken):
    """Make the store draw the taken key first, then a fresh one."""
    drawn = iter([taken, "k" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(drawn))


def check_a_taken_key_is_drawn_again(monkeypatch):
    first = SessionStore()
    first["who"] = "ada"
    first.create()
    keys_then_fresh(monkeypatch, first.session_key)
    second = SessionStore()
    second["who"] = "bob"
    second.create()
    assert second.session_key == "k" * 32
    assert SessionStore(first.session_key).load() == {"who": "ada"}  # not overwritten
    assert SessionStore(second.session_key).load() == {"who": "bob"}


@pytest.mark.django_db
def test_a_taken_key_is_drawn_again_inside_a_transaction(monkeypatch):
    check_a_taken_key_is_drawn_again(monkeypatch)
    assert Session.objects.count() == 2  # the transaction still works after the refusal


@pytest.mark.django_db(transaction=True)
def test_a_taken_key_is_drawn_again_in_autocommit(monkeypatch):
    check_a_taken_key_is_drawn_again(monkeypatch)


@pytest.mark.django_db(transaction=True)
def test_a_new_session_is_one_statement_and_an_update_is_django_s():
    store = SessionStore()
    store["n"] = 1
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert [query["sql"].split()[0] for query in queries] == ["INSERT"]
    store["n"] = 2
    store.save()
    assert SessionStore(store.session_key).load() == {"n": 2}


# --- the Redis store (REDIS_URL) --------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db
def test_spec_4_redis_sessions_are_read_by_every_node_and_never_written_to_the_database(redis_stores, settings):
    assert settings.SESSION_ENGINE.endswith(".cache")  # what config.settings picks for REDIS_URL
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore()
    store["who"] = "ada"
    store.create()
    assert engine.SessionStore(store.session_key).load() == {"who": "ada"}  # another node's store
    in_redis = caches[settings.SESSION_CACHE_ALIAS].make_key(store.cache_key)
    assert 0 < redis_stores.ttl(in_redis) <= settings.SESSION_COOKIE_AGE  # Redis expires it by itself
    assert not Session.objects.exists()
    key = store.session_key
    store.delete()
    assert not redis_stores.exists(in_redis) and not engine.SessionStore().exists(key)
