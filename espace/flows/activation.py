"""J2 "Activez votre espace ou vos services": one entry for every code.

The code is never kept in the session in clear (STYLE: leave allauth's raw codes in the
session): step 1 keeps its digest, step 2 receives the code back from the browser, which
holds it anyway, and must match that digest, so the captcha of step 1 cannot be skipped.
"""

from dataclasses import dataclass

from django.db import transaction

from espace import clock
from espace.models import PendingRequest, Space
from espace.services import audit, codes, requests, spaces
from espace.services.client import client_ip
from espace.services.requests import CodeRefused
from espace.services.throttle import Throttle

STEP_KEY = "espace_activation_code"
DONE_KEY = "espace_activation_done"


@dataclass(frozen=True)
class Activated:
    space: Space
    kind: str


def remember_code(session, code: str) -> None:
    """Step 1 passed (well-formed code, captcha solved): remember the code's digest."""
    session[STEP_KEY] = codes.digest(code)


def code_matches_step(session, code: str) -> bool:
    """Return whether code is the one that passed step 1 in this session."""
    expected = session.get(STEP_KEY)
    return bool(expected) and codes.well_formed(code) and codes.digest(code) == expected


# What each kind of request does on activation; J4 and J8 add their own entry.
HANDLERS = {PendingRequest.Kind.CREATION: spaces.create_from_request}


def activate(request, *, code: str, email: str) -> Activated:
    """Apply the live request of code and email, exactly once; raise CodeRefused otherwise.

    Failures count against the email and the client address like wrong passwords
    (R-THROTTLE-1), so the 71 bits of a code are never brute-forced online.
    """
    throttle = Throttle.default()
    account, address = f"activation:{email}", client_ip(request)
    if not throttle.allows(account=account, address=address):
        audit.record(request, audit.Kind.ACTIVATION_FAILED, email=email, reason="throttled")
        raise CodeRefused()
    now = clock.now()
    try:
        with transaction.atomic():
            pending = requests.find_live(code, email, now)
            handler = HANDLERS.get(pending.kind)
            if handler is None:
                raise CodeRefused()
            requests.consume(pending, now)
            space = handler(pending, now)
            audit.record(request, audit.Kind.ACTIVATION_OK, space=space, email=email, request_kind=pending.kind)
    except CodeRefused:
        throttle.failed(account=account, address=address)
        audit.record(request, audit.Kind.ACTIVATION_FAILED, email=email)
        raise
    throttle.succeeded(account=account)
    request.session.pop(STEP_KEY, None)
    # R-PDF-2: this browser session, and only it, may download the recap from the confirmation.
    request.session[DONE_KEY] = {"space": space.pk, "at": now.isoformat()}
    return Activated(space=space, kind=pending.kind)


def activated_space(session) -> tuple[Space, str] | None:
    """Return the space activated in this session and when, for the confirmation page."""
    done = session.get(DONE_KEY)
    if not done:
        return None
    space = Space.objects.filter(pk=done["space"], is_active=True).first()
    return (space, done["at"]) if space else None
