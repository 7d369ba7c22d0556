"""Sessions are Django's stores (issue 12 item 4): a taken key is refused (CreateError) and drawn
again; a session has its key as soon as login() returns, which ending a space's other sessions
needs."""

from importlib import import_module

import pytest
from django.contrib.sessions.backends.base import CreateError
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from antirobot.testing import captcha_post_data
from tests.factories import STRONG_PASSWORD, SpaceFactory


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


@pytest.mark.django_db
def test_a_taken_key_raises_create_error_and_leaves_the_row_alone():
    first = SessionStore()
    first["who"] = "ada"
    first.create()
    second = SessionStore()
    second["who"] = "bob"
    second._session_key = first.session_key
    with pytest.raises(CreateError):
        second.save(must_create=True)
    assert SessionStore(first.session_key).load() == {"who": "ada"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine", ["configured", "django.contrib.sessions.backends.cache"], ids=["configured", "cache"]
)
def test_a_session_has_its_key_right_after_login(settings, engine):
    """Seen from user_logged_in, the end of login(): the key is drawn and stored, and it is the
    one the browser gets, not the anonymous session's. With the configured store (the database
    without REDIS_URL) and the one REDIS_URL selects."""
    if engine != "configured":
        settings.SESSION_ENGINE = engine
    seen = []

    def receiver(sender, request, user, **kwargs):
        key = request.session.session_key
        seen.append((key, key is not None and request.session.exists(key)))

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
    [(key, stored)] = seen
    assert key is not None and stored
    assert key == client.cookies[settings.SESSION_COOKIE_NAME].value != anonymous.session_key
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
