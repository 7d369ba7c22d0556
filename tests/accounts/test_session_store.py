"""The database session store: a taken key is refused (CreateError) and drawn again."""

import pytest
from django.contrib.sessions.backends.base import CreateError
from django.contrib.sessions.models import Session

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
