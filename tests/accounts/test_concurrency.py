"""R-NUM-1, J2 and R-CAPTCHA-1 "exactly once" under concurrent requests, on the real PostgreSQL."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from codes.models import PendingRequest

from accounts.models import Space
from accounts.services import numbers
from tests.conftest import need
from tests.accounts import journey

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")


def run_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_r_num_1_concurrent_allocations_never_collide():
    from core import clock

    now = clock.now()
    results, errors = run_threads(12, lambda: [numbers.allocate(now) for _ in range(5)])
    assert not errors
    allocated = [number for batch in results for number in batch]
    assert len(allocated) == 60 and len(set(allocated)) == 60


def test_j2_one_code_activated_from_many_threads_gives_one_space_one_number():
    journey.register(Client(), "concurrence@exemple.fr")
    code = journey.last_code("concurrence@exemple.fr")
    clients = []
    for _ in range(8):  # each thread passes the captcha step first, as a browser would
        client = Client()
        page = client.get("/activation")
        from antirobot.testing import captcha_post_data

        assert client.post("/activation", {"code": code, **captcha_post_data(page)}).status_code == 200
        clients.append(client)
    iterator = iter(clients)
    lock = threading.Lock()

    def activate():
        with lock:
            client = next(iterator)
        return client.post(
            "/activation/identifiants", {"code": code, "email": "concurrence@exemple.fr", "action": "continue"}
        ).status_code

    statuses, errors = run_threads(8, activate)
    assert not errors
    assert sorted(statuses) == [302] + [400] * 7
    assert Space.objects.count() == 1
    assert PendingRequest.objects.get().used_at is not None


def test_r_exp_4_reminders_sent_once_when_two_nodes_run_the_command_at_once():
    """Several nodes run send_expiry_reminders at the same moment: each reminder leaves once."""
    from datetime import UTC, date, datetime

    import time_machine

    from accounts.services import expiry
    from mailer.models import OutboxEmail
    from tests.factories import SpaceFactory

    with time_machine.travel(datetime(2026, 2, 23, 15, tzinfo=UTC), tick=False):
        for n in range(10):
            SpaceFactory(login_email=f"rappel{n}@exemple.fr")  # valid until 22/02/2029
    results, errors = run_threads(6, lambda: expiry.send_reminders(date(2028, 12, 24)))
    assert not errors
    assert sum(results) == 10
    assert OutboxEmail.objects.count() == 10
    assert sorted(OutboxEmail.objects.values_list("to", flat=True)) == sorted(f"rappel{n}@exemple.fr" for n in range(10))


def test_r_captcha_1_one_challenge_checked_from_many_threads_admits_one_answer():
    """The right answer sent at once to many nodes, under the key and its extension: one passes."""
    from antirobot import services
    from antirobot.models import UsedChallenge
    from antirobot.testing import solve

    key = services.issue("login", "b" * 22)
    keys = iter([key, services.extend(key, "b" * 22)] * 4)
    lock = threading.Lock()

    def check():
        with lock:
            mine = next(keys)
        verdict = services.check(mine, solve(mine), purpose="login", bound_to="b" * 22, address="203.0.113.9")
        return verdict is services.Verdict.PASSED

    results, errors = run_threads(8, check)
    assert not errors
    assert sorted(results) == [False] * 7 + [True]
    assert UsedChallenge.objects.count() == 1
