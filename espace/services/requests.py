"""Pending requests and their codes (R-CODE-1..3, R-MAIL-3): create, find, consume."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from espace.models import AccessMode, PendingRequest, Space
from espace.services import codes


class EmailUnavailable(Exception):
    """The email is a login, or held by a live request (R-MAIL-3, R-CODE-3)."""


class EmailOfCertificateSpace(Exception):
    """The email belongs to a certificate space: the option procedure (J8) is the way."""


class CodeRefused(Exception):
    """Wrong, used, expired or another email's code: one error for all (R-CODE-2)."""


def release_expired_claims(email: str, now: datetime) -> None:
    """Free the email from requests whose 48 h are over: after that they are void (R-CODE-2)."""
    PendingRequest.objects.filter(held_email=email, expires_at__lte=now).update(held_email=None)


def check_email_free(email: str, now: datetime) -> None:
    """Raise unless email may open a new password space now (R-MAIL-3)."""
    if Space.objects.filter(login_email=email).exists():
        raise EmailUnavailable(email)
    if PendingRequest.objects.filter(held_email=email, expires_at__gt=now).exists():
        raise EmailUnavailable(email)
    if Space.objects.filter(access_mode=AccessMode.CERTIFICATE, contact_email__iexact=email).exists():
        raise EmailOfCertificateSpace(email)


def open_request(*, kind: str, email: str, payload: dict, now: datetime, space=None) -> tuple[PendingRequest, str]:
    """Store a request holding email and return it with its code in clear (for the email only).

    Must run inside the caller's transaction, with the email queued in the same one.
    The unique ``held_email`` makes two concurrent requests for one email impossible.
    """
    release_expired_claims(email, now)
    check_email_free(email, now)
    code = codes.generate()
    try:
        with transaction.atomic():
            request = PendingRequest.objects.create(
                kind=kind,
                email=email,
                held_email=email,
                code_hash=codes.digest(code),
                payload=payload,
                space=space,
                created_at=now,
                expires_at=now + settings.ACTIVATION_CODE_TTL,
            )
    except IntegrityError:
        raise EmailUnavailable(email) from None
    return request, code


def find_live(code: str, email: str, now: datetime) -> PendingRequest:
    """Return the live request of code and email, or raise CodeRefused (R-CODE-2)."""
    if not codes.well_formed(code):
        raise CodeRefused()
    request = PendingRequest.objects.filter(
        code_hash=codes.digest(code), email=email, used_at__isnull=True, expires_at__gt=now
    ).first()
    if request is None:
        raise CodeRefused()
    return request


def consume(request: PendingRequest, now: datetime) -> None:
    """Mark request used exactly once, even when the same code arrives twice at once.

    The conditional UPDATE is the lock: the second transaction waits for the first,
    then finds used_at set and updates nothing.
    """
    taken = PendingRequest.objects.filter(pk=request.pk, used_at__isnull=True).update(used_at=now, held_email=None)
    if taken != 1:
        raise CodeRefused()
