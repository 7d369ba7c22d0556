"""Issue 18 §4 "SMTP down while 200 emails are due": all delivered once it is back, none for
rolled-back requests, none twice.

200 real J5 requests ("Mot de passe oublié ?", through the Django test client, each from its
own TEST-NET address so that no ceiling trips) queue 200 reset codes while nothing listens on
the SMTP port of EMAIL_URL; 20 more requests fail after their email was queued (the audit row
that follows it in the same transaction cannot be written) and roll back. The worker passes
deliver nothing, lose nothing and retry with the back-off (core.clock moved, no sleep). Then a
real SMTP server (aiosmtpd) starts on that very port and two real `manage.py mail_worker`
processes run at once over the same database (PostgreSQL on the PG pass: SKIP LOCKED; SQLite's
file with WAL otherwise): each of the 200 recipients gets its one message, 200 Message-IDs,
none twice, nothing for the 20.
"""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import DatabaseError, connection
from django.test import Client

from accounts.flows import recovery
from accounts.models import Space
from config.env import email_settings
from core import clock
from mailer import outbox
from mailer.models import OutboxEmail
from mailer.worker import deliver_due
from tests.accounts import recovery_steps
from tests.factories import SpaceFactory
from tests.smtp_server import SmtpServer, free_port

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
DUE, ROLLED_BACK = 200, 20
SUBJECT = "Espace professionnel - Mot de passe oublié"


def many_spaces(count: int) -> list[Space]:
    """Return count password spaces; one Argon2 hash shared by all (hashing is not the point here)."""
    model = SpaceFactory(login_email="modele@exemple.fr")
    fields = {field.attname: getattr(model, field.attname) for field in Space._meta.concrete_fields}
    fields.pop("id")
    emails = [f"usager{n:03d}@exemple.fr" for n in range(count)]
    return Space.objects.bulk_create(
        Space(**{**fields, "login_email": email, "contact_email": email, "subscriber_number": f"2026099{n:07d}"})
        for n, email in enumerate(emails)
    )


def address(n: int) -> str:
    """A TEST-NET address of its own for request n (RFC 5737): no per-address ceiling trips."""
    return f"198.51.100.{n + 1}" if n < 250 else f"203.0.113.{n - 249}"


def ask_reset(n: int, email: str):
    browser = Client(REMOTE_ADDR=address(n), raise_request_exception=False)
    return recovery_steps.ask(browser, email)


class FailingAudit:
    """The audit row written after the email, in the same transaction, cannot be written."""

    @staticmethod
    def record(*args, **kwargs):
        raise DatabaseError("disque plein")


def point_email_at(settings, port: int) -> str:
    url = f"smtp://127.0.0.1:{port}"
    settings.EMAIL_URL = url
    for name, value in email_settings(url).items():
        setattr(settings, name, value)
    return url


def worker_environment(settings, url: str) -> dict:
    """The environment of a `manage.py mail_worker` on this test's database and key."""
    database = connection.settings_dict
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": settings.SECRET_KEY,  # the outbox's key derives from it
        "DEBUG": "0",
        "EMAIL_URL": url,
    }
    if connection.vendor == "postgresql":
        user, host, port = database["USER"], database["HOST"] or "127.0.0.1", database["PORT"] or 5432
        secret = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        environment["DATABASE_URL"] = f"postgres://{user}{secret}@{host}:{port}/{database['NAME']}"
    else:
        environment["SQLITE_PATH"] = str(database["NAME"])
    return environment


def message_ids(server: SmtpServer) -> Counter:
    return Counter(
        message_from_bytes(received.raw, policy=default_policy)["Message-ID"] for received in server.messages
    )


def test_issue_18_4_smtp_down_while_200_emails_are_due(settings, monkeypatch):
    port = free_port()  # nothing listens there yet: the SMTP server is down
    url = point_email_at(settings, port)
    settings.EMAIL_TIMEOUT = 5
    spaces = many_spaces(DUE + ROLLED_BACK)
    due, doomed = spaces[:DUE], spaces[DUE:]
    # Two hours in the past, so that at the end every back-off has run out by the real clock
    # the worker processes read.
    start = clock.now() - timedelta(hours=2)
    with time_machine.travel(start, tick=False) as traveller:
        for n, space in enumerate(due):
            assert ask_reset(n, space.login_email).status_code == 302
        queued = []
        real_enqueue = outbox.enqueue
        monkeypatch.setattr(outbox, "enqueue", lambda **mail: queued.append(mail["to"]) or real_enqueue(**mail))
        monkeypatch.setattr(recovery, "audit", FailingAudit)
        for n, space in enumerate(doomed, start=DUE):
            response = ask_reset(n, space.login_email)
            assert response.status_code == 500 and "Erreur inattendue" in response.content.decode()
        monkeypatch.undo()
        assert queued == [space.login_email for space in doomed]  # queued, then rolled back
        assert OutboxEmail.objects.count() == DUE
        assert not OutboxEmail.objects.filter(to__in=queued).exists()

        # The server is down: each pass claims up to 50, sends nothing, schedules a retry.
        passes = [deliver_due() for _ in range(DUE // 50 + 1)]
        assert passes == [0] * len(passes)
        emails = OutboxEmail.objects.all()
        assert {(e.status, e.attempts) for e in emails} == {("pending", 1)}
        assert all(e.next_attempt_at >= start + timedelta(seconds=30) for e in emails)
        assert all(e.last_error.startswith("ConnectionRefusedError") for e in emails)
        traveller.shift(timedelta(seconds=20))
        assert deliver_due() == 0 and not OutboxEmail.objects.filter(attempts__gt=1).exists()  # not due yet
        traveller.shift(timedelta(seconds=14))  # past 30 s and its jitter: due again, still down
        for _ in range(DUE // 50 + 1):
            assert deliver_due() == 0
        retried_at = clock.now()
        emails = OutboxEmail.objects.all()
        assert {(e.status, e.attempts) for e in emails} == {("pending", 2)}
        assert all(e.next_attempt_at >= retried_at + timedelta(seconds=60) for e in emails)  # doubled
    print(f"\nSMTP absent : {DUE} courriels dus, 0 envoyé, {DUE} en attente après 2 tentatives chacun")

    # The server comes back on its port; two workers run at once.
    server = SmtpServer(port=port)
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    workers = []
    try:
        environment = worker_environment(settings, url)
        for _ in range(2):
            command = [sys.executable, "manage.py", "mail_worker", "--interval", "0.2"]
            workers.append(subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.PIPE, text=True))
        server.wait_for(DUE, timeout=180)
        deadline = time.monotonic() + 60
        while OutboxEmail.objects.exclude(status="sent").exists():
            assert time.monotonic() < deadline, "courriels non marqués envoyés"
            time.sleep(0.1)  # polling the workers' progress, not the product's clock
    finally:
        # SIGTERM: each worker ends its pass, then stops; whatever it sent has arrived by then.
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        logs = [worker.communicate(timeout=30)[1] for worker in workers]
        controller.stop()
    assert all(worker.returncode == 0 for worker in workers), logs

    per_recipient = Counter(recipient for received in server.messages for recipient in received.to)
    ids = message_ids(server)
    print(
        f"SMTP revenu : {len(server.messages)} courriels reçus pour {len(per_recipient)} destinataires, "
        f"{len(ids)} Message-ID distincts, {sum(1 for n in per_recipient.values() if n > 1)} en double, "
        f"{sum(per_recipient[space.login_email] for space in doomed)} pour les {ROLLED_BACK} requêtes annulées"
    )
    assert len(server.messages) == DUE
    assert per_recipient == Counter({space.login_email: 1 for space in due})
    assert len(ids) == DUE and set(ids.values()) == {1}
    assert {received.subject for received in server.messages} == {SUBJECT}
    sent = OutboxEmail.objects.all()
    assert {(e.status, e.attempts, e.body_encrypted) for e in sent} == {("sent", 3, "")}
