"""R-EMAIL-1..3: transactional outbox, worker with back-off, real SMTP on loopback."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction

from espace import clock
from mailer import outbox
from mailer.email_url import parse_email_url
from mailer.models import OutboxEmail
from mailer.worker import deliver_due

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


def test_r_email_2_smtp_down_retries_with_back_off_then_delivers(settings, smtp_server):
    settings.EMAIL_URL = "smtp://127.0.0.1:9"  # nothing listens there
    for name, value in parse_email_url(settings.EMAIL_URL).items():
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
        for name, value in parse_email_url(settings.EMAIL_URL).items():
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
    for name, value in parse_email_url(settings.EMAIL_URL).items():
        setattr(settings, name, value)
    settings.MAILER_MAX_ATTEMPTS = 2
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with time_machine.travel(clock.now(), tick=False) as traveller:
        deliver_due()
        traveller.shift(timedelta(hours=2))
        deliver_due()
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 2


def test_r_email_3_without_email_url_mails_are_kept_and_shown_in_the_console(settings, caplog):
    settings.EMAIL_URL = ""
    email = outbox.enqueue(to="lila@exemple.fr", subject="Sujet", body=BODY)
    with caplog.at_level(logging.INFO, logger="mailer"):
        assert deliver_due() == 1
    email.refresh_from_db()
    assert email.status == "kept" and outbox.decrypt_body(email) == BODY
    assert "AbCdEfGhIjKl" in caplog.text


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
    ],
)
def test_r_email_3_email_url(url, expected):
    parsed = parse_email_url(url)
    assert {key: parsed[key] for key in expected} == expected


@pytest.mark.parametrize("url", ["http://mail.example.fr", "smtp://", "mailto:x@y.fr"])
def test_r_email_3_bad_email_url_stops_the_start(url):
    with pytest.raises(ValueError):
        parse_email_url(url)
