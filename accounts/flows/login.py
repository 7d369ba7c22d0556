"""J3 login as a pipeline: credentials, stages before the session, the session, stages after.

1. ``check_credentials``: one guarded check of the password (core.guard).
   One refusal for every cause (R-THROTTLE-1, SPEC §4): wrong email, wrong password,
   pending request, certificate space, throttled; and the same work (one Argon2 check)
   whether or not the email has a space, so that the timing does not tell either.
2. ``PRE_SESSION_STAGES``: a stage may stop the login before any session exists
   (R-EXP-2: an expired password opens no session; J6 plugs its page in there).
3. ``open_session``: the one way a session opens, for every access mode (J7 calls it too).
4. ``POST_SESSION_STAGES``: pages shown after the session opened and before the home
   (R-EXP-1's expiry alert plugs in there).
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import check_password, make_password
from django.urls import reverse

from core import clock

from accounts import selectors
from accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY
from accounts.models import Space
from core import audit, guard
from accounts.services import expiry, passwords
from core.client import client_ip
from accounts.events import Kind as Event


class Outcome(enum.Enum):
    OK = "ok"
    REFUSED = "refused"
    EXPIRED = "expired"


@dataclass(frozen=True)
class LoginResult:
    outcome: Outcome
    next_url: str | None = None  # a stage's page, else the home
    until: datetime | None = None  # REFUSED while throttled: when the refusal ends


class LoginRefused(Exception):
    """Wrong email or password, or throttled: one refusal, nothing tells which space exists.

    ``until`` is set while throttled: the counters run for any email typed, so saying when
    the delay ends tells nothing about the email (R-THROTTLE-1, docs/decisions.md).
    """

    def __init__(self, until: datetime | None = None):
        super().__init__()
        self.until = until


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    return make_password("espace-professionnel-dummy-password")


def check_credentials(request, *, email: str, password: str) -> Space:
    """Return the password space of email if password is its own, or raise LoginRefused."""
    space = selectors.password_space(email)

    def verify():
        if space is None:  # a dummy hash for an unknown email: the same Argon2 cost and time
            check_password(password, dummy_hash())
            return None
        stored = space.password
        # A right password whose hash has other parameters than the hasher's today is
        # re-hashed with them (Django calls the setter only then).
        upgrade = partial(passwords.rehash, space, old_hash=stored)
        return space if check_password(password, stored, setter=upgrade) else None

    checked = guard.check_secret(account=email, address=client_ip(request), verify=verify)
    if checked.verdict is guard.Verdict.THROTTLED:
        audit.record(request, Event.LOGIN_THROTTLED, email=email)
        raise LoginRefused(checked.until)
    if not checked.ok:
        audit.record(request, Event.LOGIN_FAILED, space=space, email=email)
        raise LoginRefused()
    return checked.value


def expired_password(request, space: Space) -> LoginResult | None:
    """R-EXP-2/3: the right old password of an expired space opens no session; it leads to
    "Mot de passe expiré" (J6), where the old password is asked again."""
    if not passwords.is_expired(space):
        return None
    audit.record(request, Event.LOGIN_EXPIRED, space=space, email=space.login_email)
    return LoginResult(Outcome.EXPIRED, next_url=reverse("espace:expired"))


def expiry_alert(request, space: Space) -> LoginResult | None:
    """R-EXP-1: at most EXPIRY_ALERT_DAYS days left, the alert page comes before the home."""
    if expiry.countdown(space) is None:
        return None
    audit.record(request, Event.EXPIRY_ALERT_SHOWN, space=space, expires_on=space.password_expires_on.isoformat())
    return LoginResult(Outcome.OK, next_url=reverse("espace:expiry_alert"))


Stage = Callable[[object, Space], LoginResult | None]
PRE_SESSION_STAGES: list[Stage] = [expired_password]
POST_SESSION_STAGES: list[Stage] = [expiry_alert]


def open_session(request, space: Space, *, method: str) -> None:
    """Open a session for space: a clean one, under a new id (SPEC §4).

    Nothing of the browser's anonymous session survives (a previous user's activation
    recap, a half-done wizard): the session is flushed, then Django's login() gives it a
    new key bound to the space's credentials (Space.get_session_auth_hash).
    """
    request.session.flush()
    login(request, space, backend=settings.AUTHENTICATION_BACKENDS[0])
    now = clock.now().timestamp()
    request.session[AUTH_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now
    audit.record(request, Event.LOGIN_OK, space=space, email=space.login_email or "", method=method)


def log_in(request, *, email: str, password: str) -> LoginResult:
    """Run the whole login pipeline for email and password."""
    try:
        space = check_credentials(request, email=email, password=password)
    except LoginRefused as refused:
        return LoginResult(Outcome.REFUSED, until=refused.until)
    for stage in PRE_SESSION_STAGES:
        stopped = stage(request, space)
        if stopped is not None:
            return stopped
    open_session(request, space, method="password")
    for stage in POST_SESSION_STAGES:
        shown = stage(request, space)
        if shown is not None:
            return shown
    return LoginResult(Outcome.OK)


def log_out(request) -> None:
    """End the session server-side (the row or key is deleted, not just the cookie)."""
    if request.user.is_authenticated:
        audit.record(request, Event.LOGOUT, space=request.user)
    logout(request)
