"""Deliver the outbox over SMTP, with retries and back-off (R-EMAIL-2, R-EMAIL-3).

No database transaction is ever open while the worker talks to SMTP: on SQLite an open
write transaction would make every web request that writes wait behind a slow mail server.
One pass (deliver_due) goes:

1. claim: in one short transaction, take a lease on up to `limit` due rows
   (claimed_by = a token of this pass, claimed_until = now + LEASE). A row is due when it is
   pending, its next attempt has come and it has no live lease. The lease is taken with a
   conditional UPDATE, so two workers never hold the same row (SKIP LOCKED on PostgreSQL
   keeps them from waiting on each other; SQLite's IMMEDIATE transactions serialise them);
2. for each claimed row: renew its lease (one UPDATE, which also checks that it is still
   ours), send it outside any transaction, and record the result in one conditional UPDATE
   that releases the lease.

A worker that dies between 1 and 2 leaves leased rows behind; they are due again once the
lease has run out. A mail can then leave twice only if its worker died after the server
accepted it and before the result was written: at least once, never lost.
"""

import logging
import random
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from core import clock, contracts
from mailer.interfaces import Sender
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body

logger = logging.getLogger("mailer")

# How long a claimed row stays out of other workers' reach. Renewed before each mail, so it
# only has to outlast one SMTP conversation (a few EMAIL_TIMEOUTs).
LEASE = timedelta(minutes=5)


def backoff(attempts: int):
    """Return the delay before the next try: first retry doubled at each failure, capped."""
    delay = settings.MAILER_FIRST_RETRY * (2 ** max(0, attempts - 1))
    delay = min(delay, settings.MAILER_MAX_RETRY)
    return delay * random.uniform(1.0, 1.1)  # jitter: workers do not retry in lockstep


def _unleased(now):
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim(limit: int) -> list[OutboxEmail]:
    """Lease up to limit due emails to this pass, in one short transaction; return them."""
    token = uuid.uuid4().hex
    now = clock.now()
    with transaction.atomic():
        due = OutboxEmail.objects.filter(_unleased(now), status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
        due = due.order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            # Several workers on several nodes: rows another worker is claiming are skipped.
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # Conditional: a row leased meanwhile by another worker is not taken twice.
        OutboxEmail.objects.filter(_unleased(now), pk__in=ids, status=OutboxEmail.Status.PENDING).update(
            claimed_by=token, claimed_until=now + LEASE
        )
        return list(OutboxEmail.objects.filter(claimed_by=token).order_by("next_attempt_at", "id"))


def _ours(email: OutboxEmail):
    return OutboxEmail.objects.filter(pk=email.pk, claimed_by=email.claimed_by, status=OutboxEmail.Status.PENDING)


def _renew(email: OutboxEmail) -> bool:
    """Extend email's lease before talking to SMTP; False if it is no longer ours."""
    return _ours(email).update(claimed_until=clock.now() + LEASE) == 1


def _record(email: OutboxEmail, **fields) -> None:
    """Write the result of one attempt and release the lease (one short statement)."""
    _ours(email).update(claimed_by="", claimed_until=None, **fields)


def deliver_due(*, limit: int = 50) -> int:
    """Send what is due; return how many emails left (or were kept, in development)."""
    emails = claim(limit)
    if not emails:
        return 0
    sender = contracts.load("MAILER_SENDER", Sender)
    try:
        sender.open()
    except Exception as error:  # server down or not configured: every claimed mail waits
        for email in emails:
            _failed(email, error)
        return 0
    done = 0
    try:
        for email in emails:
            if _renew(email):
                done += _send(sender, email)
    finally:
        try:
            sender.close()
        except Exception:  # closing a broken connection must not undo what was sent
            logger.warning("Fermeture de la connexion SMTP en erreur")
    return done


def _send(sender: Sender, email: OutboxEmail) -> int:
    try:
        sender.send(to=email.to, subject=email.subject, body=decrypt_body(email))
    except Exception as error:  # any SMTP or network failure: retry later, never lose the mail
        _failed(email, error)
        return 0
    if sender.keeps:  # development: readable on the development mailbox, nothing wiped
        _record(email, status=OutboxEmail.Status.KEPT, sent_at=clock.now())
        return 1
    # Delivered: the code no longer needs to exist here.
    _record(
        email,
        attempts=email.attempts + 1,
        status=OutboxEmail.Status.SENT,
        sent_at=clock.now(),
        body_encrypted="",
        last_error="",
    )
    return 1


def _failed(email: OutboxEmail, error: Exception) -> None:
    """Schedule the next try of email, or give up after MAILER_MAX_ATTEMPTS.

    Logs name the recipient and the subject, never the body (it may carry a code).
    """
    attempts = email.attempts + 1
    last_error = f"{type(error).__name__}: {error}"[:200]
    if attempts >= settings.MAILER_MAX_ATTEMPTS:
        _record(email, attempts=attempts, last_error=last_error, status=OutboxEmail.Status.FAILED)
        logger.error(
            "Courriel %s pour %s (%s) abandonné après %s tentatives", email.pk, email.to, email.subject, attempts
        )
    else:
        next_attempt_at = clock.now() + backoff(attempts)
        _record(email, attempts=attempts, last_error=last_error, next_attempt_at=next_attempt_at)
        logger.warning(
            "Courriel %s pour %s (%s) : échec (%s), nouvel essai à %s",
            email.pk,
            email.to,
            email.subject,
            last_error,
            next_attempt_at,
        )
