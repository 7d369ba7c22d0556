""""Mot de passe expiré" tells nothing (SPEC §4, R-EXP-2): a wrong old password, an unknown
email, a pending request's email, a certificate space's address and a password space that has
not expired get the same status, the same body and the same answer time."""

import gc
import random
import re
import statistics
import time
from datetime import UTC, date, datetime

import pytest

from antirobot.testing import captcha_post_data
from accounts.models import Space
from tests.accounts import journey
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db
CHANGED = datetime(2026, 2, 23, 15, 0, tzinfo=UTC)
WRONG = "un mauvais mot de passe de vingt caractères"
# Short and random: zxcvbn's cost grows with the length, and its noise would hide Argon2's.
NEW = "Kq7#vB2!pZ9$wL4@nR6%tY8&"
# (email, old password typed): the right old password, for the space that has not expired.
CASES = {
    "expiré, mauvais ancien mot de passe": ("expire@exemple.fr", WRONG),
    "adresse inconnue": ("inconnue@exemple.fr", STRONG_PASSWORD),
    "demande en attente": ("attente@exemple.fr", STRONG_PASSWORD),
    "espace avec certificat": ("certificat@exemple.fr", STRONG_PASSWORD),
    "espace non expiré, bon mot de passe": ("valide@exemple.fr", STRONG_PASSWORD),
}
VARYING = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken" value=""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
]


@pytest.fixture
def world(client, time_machine):
    time_machine.move_to(CHANGED, tick=False)
    SpaceFactory(login_email="expire@exemple.fr")
    SpaceFactory(access_mode="certificate", login_email=None, contact_email="certificat@exemple.fr")
    journey.register(client, "attente@exemple.fr")  # a live creation request, no space yet
    time_machine.move_to(datetime(2029, 3, 1, 12, tzinfo=UTC), tick=False)
    SpaceFactory(login_email="valide@exemple.fr")  # changed today: valid until 2032
    clients = {}
    for name, (email, _) in CASES.items():
        other = type(client)()
        page = other.get("/mot-de-passe-expire")
        assert other.post("/mot-de-passe-expire", {"email": email, **captcha_post_data(page)}).status_code == 302
        clients[name] = other
    return clients


def submit(client, old):
    return client.post("/mot-de-passe-expire/nouveau", {"old_password": old, "password": NEW, "password_confirm": NEW})


def normalised(response, email):
    body = response.content.decode().replace(email, "EMAIL")
    for pattern, replacement in VARYING:
        body = pattern.sub(replacement, body)
    return body


def test_spec_4_same_status_and_body_for_every_refusal(world):
    answers = {}
    for name, (email, old) in CASES.items():
        response = submit(world[name], old)
        answers[name] = (response.status_code, normalised(response, email))
    assert {status for status, _ in answers.values()} == {400}
    bodies = {body for _, body in answers.values()}
    assert len(bodies) == 1, list(answers)
    assert "ancien mot de passe est incorrect" in bodies.pop()
    assert Space.objects.get(login_email="valide@exemple.fr").password_expires_on == date(2032, 2, 29)


def test_spec_4_same_answer_time_for_every_refusal(world, settings):
    """Medians over 300 interleaved requests, within 5 % of each other.

    Each round times every case once, in a shuffled order, and each time is divided by its
    round's median: the machine's load (other processes, CI neighbours) drifts between
    rounds, not within one, so the ratio keeps what differs between the cases and drops
    what differs between moments. Raw medians are printed too.
    """
    policies = {**settings.THROTTLE_POLICIES}
    # The throttle would answer the later requests without any Argon2 check: lifted here, so
    # that what is measured is the refusal itself (the throttle has its own tests).
    policies["account_failures"] = {**policies["account_failures"], "free_failures": 10**6}
    policies["account_checks"] = {**policies["account_checks"], "limit": 10**6}
    policies["address_failures"] = {**policies["address_failures"], "limit": 10**6}
    settings.THROTTLE_POLICIES = policies
    raw = {name: [] for name in CASES}
    relative = {name: [] for name in CASES}
    names = list(CASES)
    gc.disable()  # a collection landing in one request would be noise, not signal
    try:
        for _ in range(60):  # 300 requests
            random.shuffle(names)
            round_times = {}
            for name in names:
                started = time.perf_counter()
                response = submit(world[name], CASES[name][1])
                round_times[name] = time.perf_counter() - started
                assert response.status_code == 400
            middle = statistics.median(round_times.values())
            for name, spent in round_times.items():
                raw[name].append(spent)
                relative[name].append(spent / middle)
    finally:
        gc.enable()
    medians = {name: statistics.median(values) for name, values in relative.items()}
    print({name: f"{statistics.median(values) * 1000:.1f} ms" for name, values in raw.items()})
    print({name: f"{value:.3f}" for name, value in medians.items()})
    assert max(medians.values()) <= 1.05 * min(medians.values()), medians
