"""Defects a security review of J4-J8 found, each pinned by a test that failed before its fix."""

from datetime import timedelta

import pytest
from django.test import Client

from accounts.kinds import Kind
from codes.models import PendingRequest

from accounts.models import Space
from tests.accounts import journey
from tests.accounts.credentials_steps import EMAIL, NEW_EMAIL, change, email_box
from tests.accounts.recovery_steps import give_answer, up_to_answer
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db


def test_r_mail_3_a_new_password_voids_an_email_change_asked_with_the_old_one(client):
    """Someone with the old password asks to move the login to their address; the owner takes
    the account back with "Mot de passe oublié": the intruder's code must stop working."""
    space = SpaceFactory(login_email=EMAIL)
    intruder = Client()
    assert journey.login(intruder, EMAIL).status_code == 302
    assert change(intruder, **email_box()).status_code == 302
    intruder_code = journey.last_code(NEW_EMAIL)
    code = up_to_answer(client, space)
    assert give_answer(client, code).status_code == 302  # the owner resets the password
    assert not PendingRequest.objects.filter(kind=Kind.EMAIL_CHANGE).exists()
    assert journey.activate(Client(), intruder_code, NEW_EMAIL).status_code == 400
    assert Space.objects.get(pk=space.pk).login_email == EMAIL


def test_r_pwd_3_j5_checks_the_history_only_once_the_answer_is_proven(client):
    """Holding the mailbox code must not let anyone test guesses of the current password."""
    space = SpaceFactory(login_email=EMAIL)
    code = up_to_answer(client, space)
    wrong = give_answer(client, code, answer="Pas la bonne réponse", password=STRONG_PASSWORD)
    page = wrong.content.decode()
    assert "réponse à la question de confiance est incorrecte" in page
    assert "mots de passe précédents" not in page  # nothing said about the guessed password
    right = give_answer(client, code, password=STRONG_PASSWORD)  # the current one, right answer
    assert right.status_code == 400 and "mots de passe précédents" in right.content.decode()
    assert give_answer(client, code).status_code == 302  # the code was not consumed meanwhile


def test_r_throttle_1_proving_a_reset_code_keeps_the_accounts_failures(client):
    """Each new code must not buy a fresh set of guesses: failures survive the code's proof."""
    space = SpaceFactory(login_email=EMAIL)
    for _ in range(4):
        journey.login(Client(), EMAIL, "un mauvais mot de passe de vingt caractères")
    up_to_answer(client, space)
    journey.login(Client(), EMAIL, "un mauvais mot de passe de vingt caractères")  # the 5th
    assert journey.login(Client(), EMAIL).status_code == 400  # blocked, right password or not


def test_r_mail_3_j4_email_change_answers_are_capped_per_address(client, settings):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "email_checks_per_address": {"limit": 1, "window": timedelta(hours=1)},
    }
    SpaceFactory(login_email=EMAIL)
    SpaceFactory(login_email="prise@exemple.fr")
    assert journey.login(client, EMAIL).status_code == 302
    first = change(client, **email_box("prise@exemple.fr"))
    assert first.status_code == 400 and "déjà associée" in first.content.decode()
    second = change(client, **email_box("autre@exemple.fr"))
    assert second.status_code == 400 and "Trop de vérifications" in second.content.decode()
    assert not PendingRequest.objects.exists()
