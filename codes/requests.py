"""Pending requests and their codes (R-CODE-1..3, R-MAIL-3): the rows under codes.process.

Journeys use the process (codes.process.CodeProcess); these functions are its storage:
open a request and send its code by its kind's channel, find a request by its code with
the reason of a refusal, consume it exactly once, purge dead rows.

A request's payload (password and answer hashes, personal data) lives only as long as
the request: it is wiped when the request is used, replaced or found void, and dead rows
are deleted by ``purge`` (run by the ``housekeeping`` command).
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from codes import channels, registry, tokens
from codes.errors import CodeRefused, EmailUnavailable  # noqa: F401 (re-export: views import them here)
from codes.errors import CodeExpired, CodeUsed, CodeWrong
from codes.models import PendingRequest


def held_by_another(email: str, now: datetime, space=None) -> bool:
    """Return whether a live request other than space's holds email (R-MAIL-3, R-CODE-3)."""
    live = PendingRequest.objects.filter(held_email=email, expires_at__gt=now)
    return (live.exclude(space=space) if space is not None else live).exists()


def release_expired_claims(email: str, now: datetime) -> None:
    """Void the requests on email whose life is over (R-CODE-2): free the email, wipe the payload."""
    PendingRequest.objects.filter(held_email=email, expires_at__lte=now).update(held_email=None, payload={})


def check_available(kind: str, email: str, now: datetime, space=None) -> None:
    """Raise unless a request of kind may take email now (R-MAIL-3, R-CODE-3)."""
    declared = registry.get(kind)
    release_expired_claims(email, now)
    declared.available(email, now, space)


def open_request(
    *,
    kind: str,
    email: str,
    payload: dict,
    now: datetime,
    space=None,
    address: Sequence[str] | None = None,
    **context,
) -> PendingRequest:
    """Store a request of kind and send its code by the kind's channel, in the caller's transaction.

    ``email`` is what J2 matches the code with (the login email); an email code goes there,
    a letter to ``address`` (a "post" kind needs one). The code exists in clear only in
    that message (R-CODE-1), whose context also has the code's life (``ttl_hours``) and end
    (``expires_at``: a letter prints the date). The unique ``held_email`` makes two
    concurrent requests for one email impossible.
    """
    declared = registry.get(kind)
    if declared.channel == "post" and (not address or isinstance(address, str)):
        raise ValueError(f"A {kind!r} request is sent by post: give the address's lines.")
    if declared.replaces_previous and space is not None:
        # The earlier request's code stops working: one live request per space and kind.
        PendingRequest.objects.filter(space=space, kind=kind, used_at__isnull=True).delete()
    check_available(kind, email, now, space)
    code = tokens.generate()
    try:
        with transaction.atomic():
            pending = PendingRequest.objects.create(
                kind=kind,
                email=email,
                held_email=email if declared.holds_email else None,
                code_hash=tokens.digest(code),
                payload=payload,
                space=space,
                created_at=now,
                expires_at=now + declared.ttl,
            )
    except IntegrityError:
        raise EmailUnavailable(email) from None
    ttl_hours = int(declared.ttl.total_seconds() // 3600)
    channels.get(declared.channel).deliver(
        message=declared.message,
        to=address if declared.channel == "post" else email,
        code=code,
        context={"ttl_hours": ttl_hours, "expires_at": pending.expires_at, **context},
    )
    return pending


def find(
    digest: str, email: str, now: datetime, *, kinds: Sequence[str], space=None, lock: bool = False
) -> PendingRequest:
    """Return the live request of the code whose digest is given, for email; raise why not (R-CODE-2).

    The process checks the code's form (CodeMalformed) before it digests it.

    ``kinds`` restricts the search to the kinds a page handles: a password-reset code typed
    in the activation entry is refused like any wrong code, and so is a code of another
    email or, when ``space`` is given, of another space. ``lock`` takes the row lock
    (SELECT ... FOR UPDATE) for a check that writes on the request (J5's wrong answers).
    """
    rows = PendingRequest.objects.filter(code_hash=digest)
    # No join under the lock: PostgreSQL refuses FOR UPDATE on the nullable side of one.
    pending = (rows.select_for_update() if lock else rows.select_related("space")).first()
    if pending is None or pending.email != email or pending.kind not in kinds:
        raise CodeWrong()
    if space is not None and pending.space_id != space.pk:
        raise CodeWrong()
    if pending.used_at is not None:
        raise CodeUsed()
    if pending.expires_at <= now:
        raise CodeExpired()
    return pending


def consume(pending: PendingRequest, now: datetime) -> dict:
    """Mark pending used exactly once and return its payload, wiped from the database.

    The conditional UPDATE is the lock: a second transaction using the same code waits for
    the first, then finds used_at set and updates nothing. The payload returned is the one
    read before; the row keeps no hash and no personal data after this.
    """
    taken = PendingRequest.objects.filter(pk=pending.pk, used_at__isnull=True).update(
        used_at=now, held_email=None, payload={}
    )
    if taken != 1:
        raise CodeUsed()
    return pending.payload


def purge(now: datetime) -> int:
    """Delete used and expired requests; return how many. Their audit events remain."""
    deleted, _ = PendingRequest.objects.filter(Q(used_at__isnull=False) | Q(expires_at__lte=now)).delete()
    return deleted


def follow_login_email(space, email: str) -> int:
    """Point the space's live letters' requests at its new login email; return how many.

    A code sent by post is entered in J2 with the login email of the space that asked for
    it (R-ADH-2); when that login changes (J4, J8) during the letter's 60 days, the letter
    still works, with the new login. Requests by email are not moved: their code went to
    the address itself.
    """
    post_kinds = [name for name, _label in registry.choices() if registry.get(name).channel == "post"]
    return PendingRequest.objects.filter(space=space, kind__in=post_kinds, used_at__isnull=True).update(email=email)
