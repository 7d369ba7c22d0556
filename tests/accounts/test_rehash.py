"""R-PWD-5: a hash made with other Argon2 parameters is upgraded at the next login, and that
is no password change (R-PWD-3 history, R-PWD-6 expiry untouched)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client

from accounts.hashers import Argon2idHasher
from accounts.models import Space
from accounts.services import passwords
from core import clock
from tests.accounts import journey
from tests.factories import OTHER_STRONG_PASSWORD, STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db


class WeakerHasher(Argon2idHasher):
    """The parameters of an older release: cheaper than today's."""

    time_cost = 1
    memory_cost = 8 * 1024


def space_with_weak_hash() -> Space:
    """A space with one previous password in its history and a weaker hash of the current one."""
    space = SpaceFactory(raw_password=OTHER_STRONG_PASSWORD)
    passwords.set_password(space, raw=STRONG_PASSWORD, at=clock.now() - timedelta(days=40))
    Space.objects.filter(pk=space.pk).update(password=make_password(STRONG_PASSWORD, hasher=WeakerHasher()))
    space.refresh_from_db()
    assert identify_hasher(space.password).must_update(space.password)
    return space


def test_r_pwd_5_weaker_hash_is_upgraded_at_login_without_touching_history_or_expiry():
    space = space_with_weak_hash()
    before = (space.password_changed_at, space.password_expires_on)
    history = list(space.password_history.values_list("pk", "password_hash", "created_at"))
    with time_machine.travel(clock.now() + timedelta(days=1), tick=False):
        response = journey.login(Client(), space.login_email)
    assert response.status_code == 302 and response["Location"] == "/espace"
    space.refresh_from_db()
    assert not Argon2idHasher().must_update(space.password)  # today's parameters
    assert f"m={Argon2idHasher.memory_cost},t={Argon2idHasher.time_cost}" in space.password
    assert check_password(STRONG_PASSWORD, space.password)
    assert (space.password_changed_at, space.password_expires_on) == before
    assert list(space.password_history.values_list("pk", "password_hash", "created_at")) == history
    assert journey.login(Client(), space.login_email).status_code == 302  # the new hash opens too


def test_r_pwd_5_a_wrong_password_upgrades_nothing():
    space = space_with_weak_hash()
    weak = space.password
    response = journey.login(Client(), space.login_email, password=OTHER_STRONG_PASSWORD)
    assert response.status_code == 400
    space.refresh_from_db()
    assert space.password == weak


def test_r_pwd_5_rehash_never_puts_back_a_password_changed_meanwhile():
    space = space_with_weak_hash()
    checked = space.password
    passwords.set_password(space, raw=OTHER_STRONG_PASSWORD + "!", at=clock.now())  # another request
    assert passwords.rehash(space, STRONG_PASSWORD, old_hash=checked) is False
    space.refresh_from_db()
    assert check_password(OTHER_STRONG_PASSWORD + "!", space.password)
