"""J5 "Mot de passe oublié ?" through the Django test client: status, redirect, database, outbox."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test import Client

from antirobot.testing import captcha_post_data
from core import clock
from accounts.models import AccessMode, Space
from core.models import AuditEvent
from accounts.kinds import Kind
from codes.models import PendingRequest
from accounts.services import passwords
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.conftest import need
from tests.accounts import journey
from tests.accounts.recovery_steps import (
    NEW_PASSWORD,
    SENT,
    ask,
    give_answer,
    give_code,
    other,
    reset_code,
    up_to_answer,
)
from tests.factories import OTHER_STRONG_PASSWORD, STRONG_PASSWORD, TRUST_ANSWER, SpaceFactory

pytestmark = pytest.mark.django_db
# --- the happy path ------------------------------------------------------------------------


def test_j5_resets_the_password_with_code_answer_and_new_password(client):
    space = SpaceFactory()
    response = ask(client, space.login_email)
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/code"
    page = client.get("/mot-de-passe-oublie/code")
    assert SENT in page.content.decode()
    assert space.trust_question not in page.content.decode()  # not before the code is proven
    pending = PendingRequest.objects.get(space=space, kind=Kind.PASSWORD_RESET)
    assert pending.expires_at - pending.created_at == timedelta(hours=1)
    code = reset_code(space.login_email)
    form = give_code(client, space.login_email, code)
    assert form.status_code == 200 and space.trust_question in form.content.decode()
    assert f'value="{code}"' in form.content.decode()
    assert form["Cache-Control"].startswith("max-age=0") or "no-store" in form["Cache-Control"]
    now = clock.now()
    response = give_answer(client, code)
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/termine"
    done = client.get(response["Location"]).content.decode()
    until = clock.long_date(passwords.expiry_date(now))
    assert "Votre mot de passe a été réinitialisé avec succès." in done
    assert f"Ce mot de passe est valable jusqu'au {until}." in done
    space.refresh_from_db()
    assert check_password(NEW_PASSWORD, space.password)
    assert space.password_expires_on == passwords.expiry_date(now)
    assert space.password_history.count() == 1  # R-PWD-3: the old one joins the history
    mail = OutboxEmail.objects.filter(to=space.login_email).order_by("id").last()
    assert mail.subject == "Espace professionnel - Modification du mot de passe"
    body = decrypt_body(mail)
    assert f"Celui-ci est valable jusqu'au {until}." in body and NEW_PASSWORD not in body
    # The person just used "Mot de passe oublié ?": the email points elsewhere if it was not them.
    assert "Mot de passe oublié" not in body and "sécurisez sans attendre votre messagerie" in body
    pending.refresh_from_db()
    assert pending.used_at is not None and pending.payload == {}
    assert AuditEvent.objects.filter(kind="accounts.reset_done", space=space).exists()
    assert journey.login(Client(), space.login_email, NEW_PASSWORD).status_code == 302
    assert journey.login(Client(), space.login_email, STRONG_PASSWORD).status_code == 400


def test_j5_every_session_of_the_space_ends(client):
    space = SpaceFactory()
    sessions = [Client(), Client()]
    for other_client in sessions:
        assert journey.login(other_client, space.login_email).status_code == 302
        assert other_client.get("/espace").status_code == 200
    code = up_to_answer(client, space)
    assert give_answer(client, code).status_code == 302
    for other_client in sessions:
        assert other_client.get("/espace").status_code == 302  # back to the login page


def test_j5_a_second_request_replaces_the_first_code(client):
    space = SpaceFactory()
    ask(client, space.login_email)
    first = reset_code(space.login_email)
    ask(client, space.login_email)
    assert reset_code(space.login_email) != first
    assert give_code(client, space.login_email, first).status_code == 400
    assert PendingRequest.objects.filter(space=space).count() == 1


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["wrong_code", "other_email", "expired", "used"])
def test_r_code_2_j5_one_refusal_for_every_bad_code(client, case):
    space = SpaceFactory()
    ask(client, space.login_email)
    code, email = reset_code(space.login_email), space.login_email
    travel = timedelta(0)
    if case == "wrong_code":
        code = other(code)
    elif case == "other_email":
        email = "autre@exemple.fr"
    elif case == "expired":
        travel = timedelta(hours=1, seconds=1)
    else:
        used = Client()
        give_code(used, email, code)
        assert give_answer(used, code).status_code == 302
    with time_machine.travel(clock.now() + travel, tick=False):
        response = give_code(client, email, code)
        assert response.status_code == 400
        assert "ne permettent pas de réinitialiser le mot de passe" in response.content.decode()
        assert space.trust_question not in response.content.decode()
        assert client.get("/mot-de-passe-oublie/nouveau")["Location"] == "/mot-de-passe-oublie/code"
    assert AuditEvent.objects.filter(kind="accounts.reset_code_failed").exists()


def test_j5_code_expired_between_the_code_page_and_the_answer(client):
    space = SpaceFactory()
    code = up_to_answer(client, space)
    with time_machine.travel(clock.now() + timedelta(hours=1, seconds=1), tick=False):
        response = give_answer(client, code)
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/code"
    space.refresh_from_db()
    assert check_password(STRONG_PASSWORD, space.password)


def test_j5_wrong_answer_keeps_the_code_then_the_last_allowed_voids_it(client, settings):
    settings.RESET_ANSWER_ATTEMPTS = 3
    space = SpaceFactory()
    code = up_to_answer(client, space)
    for _ in range(2):
        response = give_answer(client, code, answer=TRUST_ANSWER.lower())  # R-TRUST-2: exactly as typed
        assert response.status_code == 400
        assert "La réponse à la question de confiance est incorrecte." in response.content.decode()
    pending = PendingRequest.objects.get(space=space)
    assert pending.used_at is None and pending.payload == {"wrong_answers": 2}
    response = give_answer(client, code, answer="Bidule")
    assert response.status_code == 400 and "ce code n&#x27;est plus valable" in response.content.decode()
    # Even the right answer now: the code is dead.
    assert give_code(client, space.login_email, code).status_code == 400
    space.refresh_from_db()
    assert check_password(STRONG_PASSWORD, space.password)
    assert AuditEvent.objects.filter(kind="accounts.reset_answer_failed").count() == 3


def test_j5_right_answer_after_a_wrong_one_resets(client):
    space = SpaceFactory()
    code = up_to_answer(client, space)
    assert give_answer(client, code, answer="Bidule").status_code == 400
    assert give_answer(client, code).status_code == 302
    space.refresh_from_db()
    assert check_password(NEW_PASSWORD, space.password)


def test_r_pwd_j5_new_password_follows_the_rules_and_nothing_is_consumed(client):
    space = SpaceFactory()
    code = up_to_answer(client, space)
    for password, confirm, text in [
        ("trop court", None, "20 caractères minimum"),
        (STRONG_PASSWORD, None, "différent de votre mot de passe actuel"),  # R-PWD-3
        (NEW_PASSWORD, OTHER_STRONG_PASSWORD, "ne sont pas identiques"),
    ]:
        response = give_answer(client, code, password=password, confirm=confirm)
        assert response.status_code == 400 and text in response.content.decode()
    assert PendingRequest.objects.get(space=space).used_at is None
    assert give_answer(client, code).status_code == 302


def test_j5_the_code_must_be_the_one_proven_in_this_browser(client):
    space = SpaceFactory()
    code = up_to_answer(client, space)
    response = give_answer(client, other(code))
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/code"
    assert PendingRequest.objects.get(space=space).used_at is None


def test_j5_pages_without_their_step_send_back(client):
    assert client.get("/mot-de-passe-oublie/nouveau")["Location"] == "/mot-de-passe-oublie/code"
    assert client.get("/mot-de-passe-oublie/termine")["Location"] == "/mot-de-passe-oublie"
    page = client.get("/mot-de-passe-oublie/code")
    assert page.status_code == 200 and SENT not in page.content.decode()


# --- R-THROTTLE-1 --------------------------------------------------------------------------


def test_r_throttle_1_wrong_codes_block_the_login(client):
    space = SpaceFactory()
    ask(client, space.login_email)
    code = reset_code(space.login_email)
    for _ in range(5):
        assert give_code(client, space.login_email, other(code)).status_code == 400
    # The account is blocked: the right password and the right code are refused, unchecked.
    assert journey.login(Client(), space.login_email).status_code == 400
    assert give_code(client, space.login_email, code).status_code == 400


def test_r_throttle_1_wrong_answers_count_like_wrong_passwords(client, settings):
    settings.RESET_ANSWER_ATTEMPTS = 10
    space = SpaceFactory()
    code = up_to_answer(client, space)
    for _ in range(4):
        journey.login(Client(), space.login_email, "Mauvais mot de passe de vingt caracteres")
    assert give_answer(client, code, answer="Bidule").status_code == 400  # the 5th failure
    response = give_answer(client, code)  # right, but blocked: not even checked
    assert response.status_code == 400 and "Trop de tentatives : réessayez dans 1 minute" in response.content.decode()
    assert journey.login(Client(), space.login_email).status_code == 400
    with time_machine.travel(clock.now() + timedelta(minutes=2), tick=False):
        assert give_answer(client, code).status_code == 302


def test_j5_requests_per_address_are_capped(client, settings):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "reset_requests_per_address": {"limit": 2, "window": timedelta(hours=1)},
    }
    space = SpaceFactory()
    assert ask(client, space.login_email).status_code == 302
    assert ask(client, "inconnu@exemple.fr").status_code == 302
    response = ask(client, space.login_email)
    assert response.status_code == 429 and "Trop de demandes" in response.content.decode()
    assert OutboxEmail.objects.count() == 1


def test_j5_requests_per_email_are_capped_silently(client, settings):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "reset_requests_per_email": {"limit": 2, "window": timedelta(hours=1)},
    }
    space = SpaceFactory()
    for _ in range(3):
        response = ask(client, space.login_email)
        assert response.status_code == 302 and response["Location"] == "/mot-de-passe-oublie/code"
    assert OutboxEmail.objects.filter(to=space.login_email).count() == 2


# --- nothing reveals whether an address has a space ------------------------------------


def _addresses():
    known = SpaceFactory().login_email
    certificate = SpaceFactory(
        access_mode=AccessMode.CERTIFICATE, login_email=None, contact_email="certif@exemple.fr"
    ).contact_email
    journey.register(Client(), "en.attente@exemple.fr")  # a pending creation, no space yet
    return {
        "known": known,
        "unknown": "personne@exemple.fr",
        "pending": "en.attente@exemple.fr",
        "certificate": certificate,
    }


def test_j5_same_answer_for_known_unknown_pending_and_certificate_emails():
    addresses = _addresses()
    before = OutboxEmail.objects.count()
    seen = set()
    for name, email in addresses.items():
        client = Client()
        response = ask(client, email)
        seen.add((response.status_code, response["Location"], response.content))
        page = client.get(response["Location"])
        # The page echoes the typed email in its field; the CSRF token and the CSP nonce are
        # drawn anew for every page, whoever asks.
        body = re.sub(r'(value|nonce)="[^"]*"', "", page.content.decode().replace(email, "EMAIL"))
        seen.add((page.status_code, body))
    assert len(seen) == 2, seen  # one redirect and one page, whatever the address
    sent = OutboxEmail.objects.filter(pk__gt=0).order_by("id")[before:]
    assert [mail.to for mail in sent] == [addresses["known"]]  # no email to an address without a space
    assert PendingRequest.objects.filter(kind=Kind.PASSWORD_RESET).count() == 1
    certificate_space = Space.objects.get(access_mode=AccessMode.CERTIFICATE)
    assert not PendingRequest.objects.filter(space=certificate_space).exists()


def _median_times(client, addresses, rounds):
    """Time the request of step 1 for each address, interleaved in a new random order each round.

    Each time is divided by its round's median (as in test_j6_enumeration): the machine's load
    drifts between rounds, not within one, so the ratios keep what differs between the kinds of
    address and drop what differs between moments. Return the median ratio of each kind.
    """
    import random
    import statistics
    import time

    ratios = {name: [] for name in addresses}
    for _ in range(rounds):
        order = list(addresses.items())
        random.shuffle(order)
        spent = {}
        for name, email in order:
            page = client.get("/mot-de-passe-oublie")
            data = {"email": email, **captcha_post_data(page)}
            start = time.perf_counter()
            response = client.post("/mot-de-passe-oublie", data)
            spent[name] = time.perf_counter() - start
            assert response.status_code == 302
        middle = statistics.median(spent.values())
        for name, value in spent.items():
            ratios[name].append(value / middle)
    return {name: statistics.median(values) for name, values in ratios.items()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # real commits: a disk flush is part of the timing
def test_j5_response_times_do_not_tell_whether_an_address_has_a_space(settings):
    """Medians of a few hundred interleaved requests per kind of address, within 5 % of each other.

    A single timed request would say nothing (noise); medians of interleaved runs compare
    the work itself: a code and its email for a space, the same statements rolled back
    for the others. The machine is shared: a run whose medians differ is measured again
    (up to 3 runs); a real difference of work shows in every run (without the decoy, the
    unknown address answers ~15 % faster, run after run).
    """
    # The deployment's database (several nodes): SQLite, the single-node default, keeps the
    # rolled-back pages out of its file, and its medians wander by up to 10 % (docs/decisions.md).
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")
    ceilings = ("reset_requests_per_address", "reset_requests_per_email", "captchas_per_address")
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        **{name: {"limit": 10**6, "window": timedelta(hours=1)} for name in ceilings},
    }
    addresses = _addresses()
    client = Client()
    runs = []
    for _ in range(3):
        medians = _median_times(client, addresses, rounds=75)
        runs.append({name: round(value, 3) for name, value in medians.items()})
        reference = medians["known"]
        if all(abs(value - reference) / reference < 0.05 for value in medians.values()):
            break
    else:
        pytest.fail(f"medians (ratio to each round's median) differ by 5 % or more in every run: {runs}")
    print("J5 medians (ratio to each round's median), per run:", runs)
    assert OutboxEmail.objects.filter(to=addresses["known"]).count() == 75 * len(runs)


def test_j5_code_used_by_another_tab_between_the_check_and_the_answer(client, monkeypatch):
    """The race the conditional consume guards: the page passed, then another tab used the code."""
    from accounts.flows import recovery

    space = SpaceFactory()
    code = up_to_answer(client, space)
    proven = recovery.proven(client.session)
    PendingRequest.objects.filter(pk=proven.pending.pk).update(used_at=clock.now())
    monkeypatch.setattr(recovery, "proven", lambda session: proven)
    response = give_answer(client, code)
    assert response.status_code == 400
    assert "Cette demande n&#x27;est plus en cours." in response.content.decode()
    space.refresh_from_db()
    assert check_password(STRONG_PASSWORD, space.password)
    assert AuditEvent.objects.filter(kind="accounts.reset_code_failed", space=None).exists()
