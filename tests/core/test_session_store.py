"""The session stores (core.sessions): a new session is one INSERT (or cache add), a taken key is
refused (CreateError) and drawn again, and a session has its key as soon as login() returns,
which ending a space's other sessions needs (issue 12 item 4)."""

import secrets
from importlib import import_module

import pytest
from django.core.cache import caches
from django.conf import settings as django_settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import CreateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from antirobot.testing import captcha_post_data
from core.sessions import cache as cache_store
from core.sessions import db as db_store
from core.sessions.db import SessionStore
from tests.factories import STRONG_PASSWORD, SpaceFactory

STORES = pytest.mark.parametrize("store", [db_store.SessionStore, cache_store.SessionStore], ids=["db", "cache"])


# The fresh key drawn after a taken one: new at each run, since a Redis store outlives the run.
FRESH = "k" + secrets.token_hex(16)[:31]


def keys_then_fresh(monkeypatch, store, taken):
    """Make the store draw the taken key first, then a fresh one."""
    drawn = iter([taken, FRESH])
    monkeypatch.setattr(store, "_get_new_session_key", lambda self: next(drawn))


def check_a_taken_key_is_drawn_again(monkeypatch, store=SessionStore):
    first = store()
    first["who"] = "ada"
    first.create()
    keys_then_fresh(monkeypatch, store, first.session_key)
    second = store()
    second["who"] = "bob"
    second.create()
    assert second.session_key == FRESH
    assert store(first.session_key).load() == {"who": "ada"}  # not overwritten
    assert store(second.session_key).load() == {"who": "bob"}


@pytest.mark.django_db
def test_a_taken_key_is_drawn_again_inside_a_transaction(monkeypatch):
    check_a_taken_key_is_drawn_again(monkeypatch)
    assert Session.objects.count() == 2  # the transaction still works after the refusal


@pytest.mark.django_db(transaction=True)
def test_a_taken_key_is_drawn_again_in_autocommit(monkeypatch):
    check_a_taken_key_is_drawn_again(monkeypatch)


@pytest.mark.django_db
@STORES
def test_a_taken_key_raises_create_error_and_leaves_the_stored_session_alone(store):
    first = store()
    first["who"] = "ada"
    first.create()
    second = store()
    second["who"] = "bob"
    second._session_key = first.session_key
    with pytest.raises(CreateError):
        second.save(must_create=True)
    assert store(first.session_key).load() == {"who": "ada"}


@pytest.mark.django_db
@STORES
def test_the_key_cycle_key_drew_is_the_one_stored_and_a_taken_one_is_drawn_again(monkeypatch, store):
    taken = store()
    taken["who"] = "ada"
    taken.create()
    session = store()
    session["who"] = "bob"
    session.save()
    old = session.session_key
    session.cycle_key()
    drawn = session.session_key
    assert drawn not in (None, old) and not session.exists(drawn)  # known at once, written by the save
    assert not session.exists(old)
    session.save()
    assert session.session_key == drawn and store(drawn).load() == {"who": "bob"}
    keys_then_fresh(monkeypatch, store, taken.session_key)
    session.cycle_key()
    assert session.session_key == taken.session_key
    session.save()  # the key is taken: refused, another one drawn
    assert session.session_key == FRESH and store(FRESH).load() == {"who": "bob"}
    assert store(taken.session_key).load() == {"who": "ada"}


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


@pytest.mark.django_db
@pytest.mark.parametrize("engine", ["configured", "core.sessions.cache"], ids=["configured", "cache"])
def test_a_session_has_its_key_right_after_login(settings, engine):
    """Seen from user_logged_in, the end of login(): the key is drawn, it is the one the browser
    gets and the store holds after the response, not the anonymous session's. With the configured
    store (the database without REDIS_URL) and the one REDIS_URL selects."""
    if engine != "configured":
        settings.SESSION_ENGINE = engine
    seen = []

    def receiver(sender, request, user, **kwargs):
        seen.append(request.session.session_key)

    client = Client()
    space = SpaceFactory()
    anonymous = client.session  # the browser already has a session, before logging in
    anonymous["wizard"] = "un parcours commencé"
    anonymous.save()
    page = client.get("/")
    user_logged_in.connect(receiver)
    try:
        fields = {"email": space.login_email, "password": STRONG_PASSWORD, **captcha_post_data(page)}
        response = client.post("/", fields)
    finally:
        user_logged_in.disconnect(receiver)
    assert response.status_code == 302 and response.url == "/espace"
    [key] = seen
    assert key is not None and key != anonymous.session_key
    assert key == client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert client.session.session_key == key and client.session["_auth_user_id"] == str(space.pk)
    assert not anonymous.exists(anonymous.session_key)


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
