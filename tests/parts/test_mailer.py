"""R-EMAIL-1..3: transactional outbox, worker with back-off, real SMTP on loopback."""

import io
import logging
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction

from core import clock
from mailer import outbox, worker
from config.env import email_settings
from mailer.models import OutboxEmail
from mailer.worker import deliver_due
from tests.smtp_server import SmtpServer, free_port
from accounts.events import Kind as Event

pytestmark = pytest.mark.django_db
BODY = "Bonjour,\n\nVotre code : AbCdEfGhIjKl — accents éàù.\n"


def test_r_email_2_body_encrypted_at_rest():
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT body_encrypted FROM mailer_outboxemail WHERE id = %s", [email.pk])
        raw = cursor.fetchone()[0]
    assert "AbCdEfGhIjKl" not in raw and outbox.decrypt_body(email) == BODY


def test_r_email_2_nothing_sent_for_a_change_that_rolled_back(smtp_settings):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
            raise RuntimeError("la modification échoue")
    assert OutboxEmail.objects.count() == 0
    assert deliver_due() == 0 and smtp_settings.messages == []


def test_r_email_1_real_smtp_delivery_utf8_and_body_wiped(smtp_settings, settings):
    email = outbox.enqueue(to="lila@exemple.fr", subject="Espace professionnel - Activation de l'espace", body=BODY)
    assert deliver_due() == 1
    received = smtp_settings.wait_for(1)[0]
    assert received.to == ["lila@exemple.fr"] and received.sender == settings.DEFAULT_FROM_EMAIL
    assert received.subject == "Espace professionnel - Activation de l'espace"
    assert "accents éàù" in received.body and "AbCdEfGhIjKl" in received.body
    email.refresh_from_db()
    assert email.status == "sent" and email.body_encrypted == "" and email.attempts == 1
    assert outbox.decrypt_body(email) == ""  # wiped: nothing left to read


def test_r_email_2_smtp_down_retries_with_back_off_then_delivers(settings, smtp_server):
    settings.EMAIL_URL = "smtp://127.0.0.1:9"  # nothing listens there
    for name, value in email_settings(settings.EMAIL_URL).items():
        setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 2
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert deliver_due() == 0
        email.refresh_from_db()
        assert (
            email.status == "pending" and email.attempts == 1 and email.next_attempt_at >= start + timedelta(seconds=30)
        )
        assert deliver_due() == 0  # not due yet: no new attempt
        email.refresh_from_db()
        assert email.attempts == 1
        traveller.shift(timedelta(seconds=34))
        deliver_due()
        email.refresh_from_db()
        assert email.attempts == 2 and email.next_attempt_at >= clock.now() + timedelta(seconds=60)  # doubled
        settings.EMAIL_URL = f"smtp://127.0.0.1:{smtp_server.port}"
        for name, value in email_settings(settings.EMAIL_URL).items():
            setattr(settings, name, value)
        traveller.shift(timedelta(seconds=70))
        assert deliver_due() == 1
    smtp_server.wait_for(1)
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 3


def test_r_email_2_back_off_is_capped_and_gives_up_after_max_attempts(settings):
    from mailer.worker import backoff

    assert backoff(1) >= timedelta(seconds=30) and backoff(2) >= timedelta(seconds=60)
    assert backoff(30) <= settings.MAILER_MAX_RETRY * 1.1
    settings.EMAIL_URL = "smtp://127.0.0.1:9"
    for name, value in email_settings(settings.EMAIL_URL).items():
        setattr(settings, name, value)
    settings.MAILER_MAX_ATTEMPTS = 2
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        deliver_due()
        traveller.shift(timedelta(hours=2))
        deliver_due()
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 2


def test_r_email_3_in_development_without_email_url_mails_are_kept_and_shown_in_the_console(settings, caplog):
    settings.EMAIL_URL = ""
    settings.DEBUG = True
    settings.MAILER_SENDER = "mailer.senders.ConsoleSender"  # what settings choose then
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with caplog.at_level(logging.INFO, logger="mailer"):
        assert deliver_due() == 1
    email.refresh_from_db()
    assert email.status == "kept" and outbox.decrypt_body(email) == BODY and email.claimed_by == ""
    assert "AbCdEfGhIjKl" in caplog.text


def test_r_email_3_the_console_sender_never_runs_outside_development(settings, caplog):
    """Named by mistake in production, the console sender logs no body: the mails wait."""
    settings.DEBUG = False
    settings.MAILER_SENDER = "mailer.senders.ConsoleSender"
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with caplog.at_level(logging.INFO, logger="mailer"):
        assert deliver_due() == 0
    email.refresh_from_db()
    assert email.status == "pending" and email.last_error.startswith("DevelopmentOnly")
    assert "AbCdEfGhIjKl" not in caplog.text


def test_r_email_1_the_setting_chooses_the_sender(settings, smtp_settings):
    """One configuration, a live SMTP server: MAILER_SENDER alone decides sent or kept."""
    settings.DEBUG = True
    settings.MAILER_SENDER = "mailer.senders.SmtpSender"
    sent = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    assert deliver_due() == 1 and smtp_settings.wait_for(1)
    settings.MAILER_SENDER = "mailer.senders.ConsoleSender"
    kept = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    assert deliver_due() == 1
    sent.refresh_from_db()
    kept.refresh_from_db()
    assert (sent.status, kept.status) == ("sent", "kept") and len(smtp_settings.messages) == 1


def test_r_email_3_without_email_url_outside_development_no_body_is_logged_and_mails_wait(settings, caplog):
    """DEBUG=0 without EMAIL_URL is a mail server that is down: the mails wait (back-off), and
    the log names recipient and subject only, never the body (it carries the code)."""
    settings.EMAIL_URL = ""
    settings.DEBUG = False
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with caplog.at_level(logging.INFO, logger="mailer"):
        assert deliver_due() == 0
    email.refresh_from_db()
    assert email.status == "pending" and email.attempts == 1 and email.last_error == "EmailUrlMissing: EMAIL_URL absent"
    assert "AbCdEfGhIjKl" not in caplog.text and "Bonjour" not in caplog.text
    assert "lila@exemple.fr" in caplog.text and "Sujet" in caplog.text
    assert outbox.decrypt_body(email) == BODY  # kept encrypted, for when EMAIL_URL is set


def test_r_email_3_worker_command_warns_without_email_url_outside_development(settings, caplog):
    from django.core.management import call_command

    settings.EMAIL_URL = ""
    settings.DEBUG = False
    outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with caplog.at_level(logging.INFO, logger="mailer"):
        call_command("mail_worker", "--once", stdout=io.StringIO())
    assert "EMAIL_URL absent" in caplog.text and "AbCdEfGhIjKl" not in caplog.text


def test_r_email_3_development_mailbox_only_in_debug(rf, settings):
    from django.http import Http404

    from mailer import views

    settings.ROOT_URLCONF = "tests.parts.urls_debug"
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet du courriel", body=BODY)
    settings.DEBUG = False
    with pytest.raises(Http404):
        views.mailbox(rf.get("/dev/courriels/"))
    with pytest.raises(Http404):
        views.detail(rf.get("/"), email.pk)
    settings.DEBUG = True
    assert "Sujet du courriel" in views.mailbox(rf.get("/dev/courriels/")).content.decode()
    assert "AbCdEfGhIjKl" in views.detail(rf.get("/"), email.pk).content.decode()


def test_r_email_3_development_mailbox_not_mounted_without_debug(client):
    assert client.get("/dev/courriels/").status_code == 404


@pytest.mark.parametrize(
    "url, expected",
    [
        ("smtp://127.0.0.1:2525", {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": 2525, "EMAIL_USE_TLS": False}),
        (
            "smtp+tls://user:p%40ss@mail.example.fr:587",
            {"EMAIL_HOST_USER": "user", "EMAIL_HOST_PASSWORD": "p@ss", "EMAIL_USE_TLS": True, "EMAIL_PORT": 587},
        ),
        ("smtps://mail.example.fr", {"EMAIL_USE_SSL": True, "EMAIL_PORT": 465}),
        ("smtp://127.0.0.1:2525?timeout=3", {"EMAIL_TIMEOUT": 3}),
    ],
)
def test_r_email_3_email_url(url, expected):
    parsed = email_settings(url)
    assert {key: parsed[key] for key in expected} == expected


@pytest.mark.parametrize("url", ["http://mail.example.fr", "smtp://", "mailto:x@y.fr"])
def test_r_email_3_bad_email_url_stops_the_start(url):
    with pytest.raises(ValueError):
        email_settings(url)


# --- No transaction while talking to SMTP; a lease per claimed row ------------------------


class BlockingSmtpServer(SmtpServer):
    """A real SMTP server whose DATA step waits until the test releases it."""

    def __init__(self, port):
        super().__init__(port=port)
        self.in_data = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.in_data.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def blocking_smtp(settings):
    from aiosmtpd.controller import Controller

    server = BlockingSmtpServer(free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    url = f"smtp://127.0.0.1:{server.port}"
    settings.EMAIL_URL = url
    for name, value in email_settings(url).items():
        setattr(settings, name, value)
    yield server
    server.release.set()
    controller.stop()


def in_thread(target, *args):
    """Run target in a thread with its own database connection, closed at the end."""
    outcome = {}

    def run():
        try:
            outcome["value"] = target(*args)
        except BaseException as error:  # reported to the test, not lost in the thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_r_email_2_a_web_write_completes_while_the_smtp_server_hangs(blocking_smtp):
    """The worker holds no transaction during the SMTP conversation: on SQLite (a file
    database, WAL) a web-side write is not kept waiting behind a slow mail server.

    The old worker (one transaction around claim + send) made this write wait for the whole
    SMTP conversation: write_done.wait() timed out here."""
    from core import audit

    outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    sender, sent = in_thread(deliver_due)
    try:
        assert blocking_smtp.in_data.wait(timeout=10), "le serveur SMTP n'a pas reçu DATA"
        write_done = threading.Event()

        def web_write():
            audit.record(None, Event.LOGIN_FAILED, email="autre@exemple.fr")
            write_done.set()

        writer, written = in_thread(web_write)
        completed_while_smtp_blocked = write_done.wait(timeout=10)
    finally:
        blocking_smtp.release.set()
    sender.join(timeout=30)
    writer.join(timeout=30)
    assert "error" not in written and "error" not in sent, (written, sent)
    assert completed_while_smtp_blocked, "l'écriture web a attendu la fin de la conversation SMTP"
    assert sent["value"] == 1 and len(blocking_smtp.wait_for(1)) == 1
    assert OutboxEmail.objects.get().status == "sent"


@pytest.mark.django_db(transaction=True)
def test_r_email_2_two_workers_never_send_one_mail_twice(blocking_smtp):
    """While worker A is stuck in the SMTP conversation of the mails it claimed, worker B
    finds none of them due; once A is released each mail has left exactly once."""
    emails = [outbox.enqueue(to=f"u{i}@exemple.fr", subject=f"Sujet {i}", body=BODY) for i in range(3)]
    first, first_sent = in_thread(deliver_due)
    try:
        assert blocking_smtp.in_data.wait(timeout=10)
        second, second_sent = in_thread(deliver_due)
        second.join(timeout=30)
    finally:
        blocking_smtp.release.set()
    first.join(timeout=30)
    assert second_sent == {"value": 0} and first_sent == {"value": 3}
    received = blocking_smtp.wait_for(3)
    assert sorted(m.to[0] for m in received) == sorted(e.to for e in emails)
    assert set(OutboxEmail.objects.values_list("status", "claimed_by")) == {("sent", "")}


def test_r_email_2_a_crashed_worker_s_mails_come_back_after_the_lease(smtp_settings):
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert [e.pk for e in worker.claim(10)] == [email.pk]  # then the worker dies
        assert deliver_due() == 0  # leased: no other worker takes it
        traveller.shift(worker.LEASE + timedelta(seconds=1))
        assert deliver_due() == 1
    assert len(smtp_settings.wait_for(1)) == 1
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1 and email.claimed_until is None


def test_r_email_2_a_lease_taken_over_is_not_sent_by_its_first_holder(smtp_settings):
    """A worker whose lease ran out and was taken over does not send the mail as well."""
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        stale = worker.claim(10)
        traveller.shift(worker.LEASE + timedelta(seconds=1))
        assert deliver_due() == 1  # the second worker sends it
        assert worker._renew(stale[0]) is False  # the first one finds it is no longer its own
    assert len(smtp_settings.wait_for(1)) == 1
    email.refresh_from_db()
    assert email.status == "sent"


def test_r_email_2_smtp_failure_during_the_conversation_is_retried(smtp_settings, monkeypatch):
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)

    def refuse(self, *args, **kwargs):
        raise ConnectionResetError("coupure")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert deliver_due() == 0
    email.refresh_from_db()
    assert email.status == "pending" and email.attempts == 1 and "coupure" in email.last_error
    assert email.claimed_by == "" and email.body_encrypted


def test_r_email_2_a_broken_close_does_not_undo_what_was_sent(smtp_settings, monkeypatch, caplog):
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)

    def broken_close(self):
        raise OSError("fermeture")

    monkeypatch.setattr("django.core.mail.backends.smtp.EmailBackend.close", broken_close)
    with caplog.at_level(logging.WARNING, logger="mailer"):
        assert deliver_due() == 1
    email.refresh_from_db()
    assert email.status == "sent" and "Fermeture" in caplog.text


def test_r_email_2_worker_loop_delivers_survives_errors_and_stops_on_a_signal(smtp_settings, monkeypatch, caplog):
    """The mail_worker loop: delivers until nothing is due, logs an error and waits longer
    when the database is away, stops cleanly on a stop request (no sleep: the pause is the
    hook that drives the passes; core.stopping's own test sends real signals)."""
    from core.stopping import StopSignals
    from mailer.management.commands import mail_worker

    outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    command = mail_worker.Command(stdout=io.StringIO())
    passes, pauses = [], []
    real_deliver = mail_worker.deliver_due

    def deliver():
        passes.append(1)
        if len(passes) == 3:
            raise RuntimeError("base absente")
        return real_deliver()

    def pause(stop, seconds):
        pauses.append(seconds)
        if len(pauses) == 3:
            stop.stop()

    monkeypatch.setattr(mail_worker, "deliver_due", deliver)
    monkeypatch.setattr(StopSignals, "pause", pause)
    monkeypatch.setattr(mail_worker, "close_old_connections", lambda: None)  # the test's transaction
    with caplog.at_level(logging.INFO, logger="mailer"):
        command.handle(interval=2.0)
    assert len(smtp_settings.wait_for(1)) == 1
    assert pauses == [2.0, 4.0, 2.0]  # the failed pass doubled the pause, the next reset it
    assert "erreur" in caplog.text and "arrêté" in caplog.text


def test_r_email_2_a_mail_whose_lease_was_lost_before_sending_is_left_to_its_new_holder(smtp_settings, monkeypatch):
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    real_claim = worker.claim

    def claim_then_lose_it(limit):
        claimed = real_claim(limit)
        OutboxEmail.objects.filter(pk=email.pk).update(claimed_by="un-autre-distributeur")
        return claimed

    monkeypatch.setattr(worker, "claim", claim_then_lose_it)
    assert deliver_due() == 0 and smtp_settings.messages == []
    email.refresh_from_db()
    assert email.status == "pending" and email.attempts == 0 and email.claimed_by == "un-autre-distributeur"
