"""Deliver the outbox over SMTP, with retries and back-off (R-EMAIL-2, R-EMAIL-3)."""

import logging
import random

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction

from espace import clock
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body

logger = logging.getLogger("mailer")


def backoff(attempts: int):
    """Return the delay before the next try: first retry doubled at each failure, capped."""
    delay = settings.MAILER_FIRST_RETRY * (2 ** max(0, attempts - 1))
    delay = min(delay, settings.MAILER_MAX_RETRY)
    return delay * random.uniform(1.0, 1.1)  # jitter: workers do not retry in lockstep


def _due(limit: int):
    rows = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=clock.now())
    rows = rows.order_by("next_attempt_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        # Several workers on several nodes: each row is taken by exactly one of them.
        rows = rows.select_for_update(skip_locked=True)
    return list(rows[:limit])


def deliver_due(*, limit: int = 50) -> int:
    """Send what is due; return how many emails left (or were kept, in development)."""
    done = 0
    with transaction.atomic():
        emails = _due(limit)
        if not emails:
            return 0
        if not settings.EMAIL_URL:
            for email in emails:
                _keep(email)
            return len(emails)
        smtp = get_connection(fail_silently=False)
        try:
            smtp.open()
        except Exception as error:  # server down: every due mail waits for its next try
            for email in emails:
                email.attempts += 1
                _failed(email, error)
            return 0
        try:
            for email in emails:
                done += _send(smtp, email)
        finally:
            try:
                smtp.close()
            except Exception:  # closing a broken connection must not undo what was sent
                logger.warning("Fermeture de la connexion SMTP en erreur")
    return done


def _keep(email: OutboxEmail) -> None:
    # Development only (no EMAIL_URL): there is no mailbox to send to, so the mail goes
    # to the console and stays readable on the development mailbox page.
    logger.info("Courriel conservé (pas d'EMAIL_URL) pour %s : %s\n%s", email.to, email.subject, decrypt_body(email))
    email.status = OutboxEmail.Status.KEPT
    email.sent_at = clock.now()
    email.save(update_fields=["status", "sent_at"])


def _send(smtp, email: OutboxEmail) -> int:
    email.attempts += 1
    try:
        EmailMessage(
            email.subject, decrypt_body(email), settings.DEFAULT_FROM_EMAIL, [email.to], connection=smtp
        ).send()
    except Exception as error:  # any SMTP or network failure: retry later, never lose the mail
        _failed(email, error)
        return 0
    email.status = OutboxEmail.Status.SENT
    email.sent_at = clock.now()
    email.body_encrypted = ""  # delivered: the code no longer needs to exist here
    email.last_error = ""
    email.save(update_fields=["attempts", "status", "sent_at", "body_encrypted", "last_error"])
    return 1


def _failed(email: OutboxEmail, error: Exception) -> None:
    """Schedule the next try of email, or give up after MAILER_MAX_ATTEMPTS."""
    email.last_error = f"{type(error).__name__}: {error}"[:200]
    if email.attempts >= settings.MAILER_MAX_ATTEMPTS:
        email.status = OutboxEmail.Status.FAILED
        logger.error("Courriel %s abandonné après %s tentatives", email.pk, email.attempts)
    else:
        email.next_attempt_at = clock.now() + backoff(email.attempts)
        logger.warning("Courriel %s : échec (%s), nouvel essai à %s", email.pk, email.last_error, email.next_attempt_at)
    email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
