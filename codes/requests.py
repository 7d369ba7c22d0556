"""Pending requests and their codes (R-CODE-1..3, R-MAIL-3), one policy per kind.

Each kind of request has its own process, as allauth gives each code purpose its own:
how long its code lives, whether it holds its email against every other request while
it runs, which rule says the email is available, which email carries the code, and what
activation applies. They are all in one table, POLICIES; journeys add their entry (or
their handler) there and nowhere else.

A request's payload (password and answer hashes, personal data) lives only as long as
the request: it is wiped when the request is used, replaced or found void, and dead rows
are deleted by ``purge`` (run by the ``housekeeping`` command).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from accounts.models import AccessMode, Space

from codes.models import PendingRequest
from codes import tokens
from accounts.services import emails, spaces

Kind = PendingRequest.Kind


class EmailUnavailable(Exception):
    """The email is a login, or held by a live request (R-MAIL-3, R-CODE-3)."""


class EmailOfCertificateSpace(Exception):
    """The email belongs to a certificate space: the option procedure (J8) is the way."""


class CodeRefused(Exception):
    """Wrong, used, expired or another email's code: one error for all (R-CODE-2)."""


def _login_of_another_space(email: str, space: Space | None) -> bool:
    logins = Space.objects.filter(login_email=email)
    return (logins.exclude(pk=space.pk) if space is not None else logins).exists()


def _held_by_another_request(email: str, now: datetime, space: Space | None) -> bool:
    live = PendingRequest.objects.filter(held_email=email, expires_at__gt=now)
    return (live.exclude(space=space) if space is not None else live).exists()


def creation_available(email: str, now: datetime, space: Space | None = None) -> None:
    """J1: a new password space needs an email that no space and no live request has.

    The email of a certificate space is refused with its own error, so that its owner is
    pointed to the option procedure (J1.3, guide 003) instead of opening a second space.
    """
    if _login_of_another_space(email, None) or _held_by_another_request(email, now, None):
        raise EmailUnavailable(email)
    if Space.objects.filter(access_mode=AccessMode.CERTIFICATE, contact_email__iexact=email).exists():
        raise EmailOfCertificateSpace(email)


def login_email_available(email: str, now: datetime, space: Space | None = None) -> None:
    """J4 and J8: the space may take email unless another space or request has it (R-MAIL-3).

    The space's own earlier request does not count: a new one replaces it. Certificate
    spaces' contact addresses do not count either: several may share one, and only the
    first to take it as a login keeps it (R-MAIL-3).
    """
    if _login_of_another_space(email, space) or _held_by_another_request(email, now, space):
        raise EmailUnavailable(email)


def no_check(email: str, now: datetime, space: Space | None = None) -> None:
    """A password reset claims no email: the code goes to the login it already has."""


@dataclass(frozen=True)
class Policy:
    """What one kind of request may do. ``life_setting`` names the duration in settings.

    ``apply`` is what the one activation entry (J2) does with a live request of this kind,
    given the request and its payload, returning the space; ``done_template`` is the page
    that confirms it. A kind without ``apply`` is not activated through J2 (its journey
    consumes it itself, or is not built yet): the entry refuses its codes like wrong ones.
    """

    kind: str
    life_setting: str
    holds_email: bool
    check_available: Callable[[str, datetime, Space | None], None]
    code_email: str  # the email template that carries the code (espace/emails/<name>.txt)
    replaces_previous: bool  # a new request of the space voids its earlier one of this kind
    apply: Callable[[PendingRequest, dict, datetime], Space] | None = None
    done_template: str | None = None

    @property
    def life(self) -> timedelta:
        return getattr(settings, self.life_setting)


POLICIES: dict[str, Policy] = {
    Kind.CREATION: Policy(
        Kind.CREATION,
        "ACTIVATION_CODE_TTL",
        True,
        creation_available,
        "activation",
        False,
        apply=spaces.create_from_request,
        done_template="codes/activation/done.html",
    ),
    Kind.EMAIL_CHANGE: Policy(
        Kind.EMAIL_CHANGE,
        "ACTIVATION_CODE_TTL",
        True,
        login_email_available,
        "activation",
        True,
        apply=spaces.change_login_email,
        done_template="espace/credentials/activated.html",
    ),
    Kind.OPTION: Policy(
        Kind.OPTION,
        "ACTIVATION_CODE_TTL",
        True,
        login_email_available,
        "activation",
        True,
        apply=spaces.opt_for_password,
        done_template="espace/option/done.html",
    ),
    Kind.PASSWORD_RESET: Policy(Kind.PASSWORD_RESET, "RESET_CODE_TTL", False, no_check, "password_reset", True),
    # J8 outside the space (lost certificate): a 1 h code to the email on file, which proves
    # the mailbox before the same steps as the option inside the space.
    Kind.OPTION_RECOVERY: Policy(Kind.OPTION_RECOVERY, "RESET_CODE_TTL", False, no_check, "option_recovery", True),
}


def release_expired_claims(email: str, now: datetime) -> None:
    """Void the requests on email whose life is over (R-CODE-2): free the email, wipe the payload."""
    PendingRequest.objects.filter(held_email=email, expires_at__lte=now).update(held_email=None, payload={})


def check_available(kind: str, email: str, now: datetime, space: Space | None = None) -> None:
    """Raise unless a request of kind may take email now (R-MAIL-3, R-CODE-3)."""
    release_expired_claims(email, now)
    POLICIES[kind].check_available(email, now, space)


def open_request(
    *, kind: str, email: str, payload: dict, now: datetime, space: Space | None = None, **email_context
) -> PendingRequest:
    """Store a request of kind and queue its code's email, in the caller's transaction.

    The code exists in clear only in that email (R-CODE-1). The unique ``held_email``
    makes two concurrent requests for one email impossible.
    """
    policy = POLICIES[kind]
    if policy.replaces_previous and space is not None:
        # The earlier request's code stops working: one live request per space and kind.
        PendingRequest.objects.filter(space=space, kind=kind, used_at__isnull=True).delete()
    check_available(kind, email, now, space)
    code = tokens.generate()
    try:
        with transaction.atomic():
            pending = PendingRequest.objects.create(
                kind=kind,
                email=email,
                held_email=email if policy.holds_email else None,
                code_hash=tokens.digest(code),
                payload=payload,
                space=space,
                created_at=now,
                expires_at=now + policy.life,
            )
    except IntegrityError:
        raise EmailUnavailable(email) from None
    emails.send(policy.code_email, to=email, code=code, ttl_hours=int(policy.life.total_seconds() // 3600), **email_context)
    return pending


def find_live(code: str, email: str, now: datetime, *, kinds=None) -> PendingRequest:
    """Return the live request of code and email, or raise CodeRefused (R-CODE-2).

    ``kinds`` restricts the search to the kinds a page handles: a password-reset code typed
    in the activation entry is refused like any wrong code.
    """
    if not tokens.well_formed(code):
        raise CodeRefused()
    live = PendingRequest.objects.filter(
        code_hash=tokens.digest(code), email=email, used_at__isnull=True, expires_at__gt=now
    )
    if kinds is not None:
        live = live.filter(kind__in=list(kinds))
    pending = live.first()
    if pending is None:
        raise CodeRefused()
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
        raise CodeRefused()
    return pending.payload


def purge(now: datetime) -> int:
    """Delete used and expired requests; return how many. Their audit events remain."""
    deleted, _ = PendingRequest.objects.filter(Q(used_at__isnull=False) | Q(expires_at__lte=now)).delete()
    return deleted
