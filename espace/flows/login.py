"""J3 login as a pipeline of checks: throttle, credentials, expiry, then the session.

One message for every refusal (R-THROTTLE-1, SPEC §4): wrong email, wrong password,
pending request, throttled; and the same work (one Argon2 check) whether or not the
email has a space, so that the timing does not tell either.
"""

import enum

from django.contrib.auth import login, logout
from django.contrib.auth.hashers import check_password, make_password

from espace import clock
from espace.middleware import AUTH_AT_KEY
from espace.models import AccessMode, Space
from espace.services import audit, passwords
from espace.services.client import client_ip
from espace.services.throttle import Throttle

_DUMMY_HASH = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = make_password("espace-professionnel-dummy-password")
    return _DUMMY_HASH


class Outcome(enum.Enum):
    OK = "ok"
    REFUSED = "refused"
    EXPIRED = "expired"


def log_in(request, *, email: str, password: str) -> Outcome:
    """Open a session for email and password, or say why not (without telling which)."""
    throttle = Throttle.default()
    address = client_ip(request)
    if not throttle.allows(account=email, address=address):
        audit.record(request, audit.Kind.LOGIN_THROTTLED, email=email)
        return Outcome.REFUSED
    space = Space.objects.filter(login_email=email, access_mode=AccessMode.PASSWORD, is_active=True).first()
    # Check a dummy hash for an unknown email: the same Argon2 cost, the same answer time.
    valid = check_password(password, space.password if space else _dummy_hash())
    if not (space and valid):
        throttle.failed(account=email, address=address)
        audit.record(request, audit.Kind.LOGIN_FAILED, space=space, email=email)
        return Outcome.REFUSED
    throttle.succeeded(account=email)
    if passwords.is_expired(space):
        # R-EXP-2/3: the right old password opens no session once expired.
        audit.record(request, audit.Kind.LOGIN_EXPIRED, space=space, email=email)
        return Outcome.EXPIRED
    login(request, space, backend="espace.auth.SpaceBackend")  # cycles the session id
    request.session[AUTH_AT_KEY] = clock.now().timestamp()
    audit.record(request, audit.Kind.LOGIN_OK, space=space, email=email)
    return Outcome.OK


def log_out(request) -> None:
    """End the session server-side (the row or key is deleted, not just the cookie)."""
    if request.user.is_authenticated:
        audit.record(request, audit.Kind.LOGOUT, space=request.user)
    logout(request)
