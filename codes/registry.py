"""The registry of request kinds: what each purpose of a code may do, declared by its own app.

Each app registers its kinds at start-up (``AppConfig.ready``), with keyword arguments::

    registry.register(
        name="creation",                      # stored in PendingRequest.kind, never renamed
        label="Création d'espace",
        life="ACTIVATION_CODE_TTL",           # a settings name, or a timedelta
        channel="email",                      # or "post" (codes.channels)
        holds_email=True,                     # R-MAIL-3: the email is claimed while it runs
        available=creation_available,         # raises EmailUnavailable (or the app's own error)
        message="activation",                 # the channel's message: an email's name, or for "post"
                                              # a letter's template ("codes/letters/activation.html")
        apply=spaces.create_from_request,     # what J2 does at activation; None: its journey does
        done_template="espace/creation/activated.html",
        done_context=None,                    # (space, at) -> the confirmation page's context
        replaces_previous=False,              # a new request of the space voids the earlier one
    )

The codes app knows no kind by name: J2 activates any kind that has ``apply``, a new
channel needs no change of J2 (SPEC §5: adhesion by a code sent by post).
"""

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CHANNELS = ("email", "post")
NAME_RE = re.compile(r"^[a-z][a-z_]{0,19}$")  # PendingRequest.kind is a CharField(max_length=20)


class UnknownKind(LookupError):
    """No app registered a request kind of this name."""


@dataclass(frozen=True, kw_only=True)
class RequestKind:
    """What one kind of request may do. Built by ``register`` only.

    ``available(email, now, space)`` raises when a request of this kind may not take email
    now (R-MAIL-3); the claims of other live requests are in ``requests.held_by_another``.
    ``apply(pending, payload, now)`` is what the one activation entry (J2) does with a live
    request of this kind, returning the space, and ``done_template`` the page that confirms
    it; a kind without ``apply`` is consumed by its own journey (J5, J8 outside), and J2
    refuses its codes like wrong ones. ``attempts`` is how many wrong answers to another
    secret of the request (J5's trust answer) it survives, minus one.
    """

    name: str
    label: str
    life: str | timedelta
    channel: str
    holds_email: bool
    available: Callable[[str, datetime, Any], None]
    message: str
    apply: Callable[[Any, dict, datetime], Any] | None = None
    done_template: str | None = None
    done_context: Callable[[Any, datetime], dict] | None = None
    replaces_previous: bool = False
    attempts: str | int | None = None

    @property
    def ttl(self) -> timedelta:
        """Return how long a code of this kind lives, read now (tests and operators change settings)."""
        return getattr(settings, self.life) if isinstance(self.life, str) else self.life

    @property
    def max_attempts(self) -> int | None:
        return getattr(settings, self.attempts) if isinstance(self.attempts, str) else self.attempts

    @property
    def activatable(self) -> bool:
        return self.apply is not None


_kinds: dict[str, RequestKind] = {}


def register(**declaration) -> RequestKind:
    """Declare a request kind; raise ImproperlyConfigured for a bad or repeated declaration.

    Called from AppConfig.ready(): a mistake stops the start-up instead of surfacing at the
    first code sent.
    """
    kind = RequestKind(**declaration)
    kind = dataclasses.replace(kind, name=str(kind.name))  # an enum member is stored as its value
    if not NAME_RE.match(kind.name):
        raise ImproperlyConfigured(f"Request kind name {kind.name!r}: 1-20 lowercase letters or _.")
    if kind.name in _kinds:
        raise ImproperlyConfigured(f"Request kind {kind.name!r} is registered already.")
    if kind.channel not in CHANNELS:
        raise ImproperlyConfigured(f"Request kind {kind.name!r}: channel {kind.channel!r} is not one of {CHANNELS}.")
    if isinstance(kind.life, str) and not isinstance(getattr(settings, kind.life, None), timedelta):
        raise ImproperlyConfigured(f"Request kind {kind.name!r}: settings.{kind.life} is not a timedelta.")
    if kind.activatable != bool(kind.done_template):
        raise ImproperlyConfigured(f"Request kind {kind.name!r}: apply and done_template go together.")
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget a kind (tests that register their own); raise UnknownKind if there is none."""
    get(name)
    del _kinds[name]


def get(name: str) -> RequestKind:
    """Return the kind registered under name; raise UnknownKind otherwise."""
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownKind(name) from None


def activatable() -> list[str]:
    """Return the names of the kinds the one activation entry (J2) applies."""
    return [name for name, kind in _kinds.items() if kind.activatable]


def choices() -> list[tuple[str, str]]:
    """Return (name, label) of every kind, for PendingRequest.kind (a callable: read when used)."""
    return [(name, kind.label) for name, kind in _kinds.items()]


def always_available(email: str, now: datetime, space=None) -> None:
    """The availability rule of a kind that claims no email: its code goes where it already is."""
