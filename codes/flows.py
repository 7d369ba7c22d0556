"""J2 "Activez votre espace ou vos services": one entry for every code.

The code is never kept in the session in clear (STYLE: leave allauth's raw codes in the
session): step 1 keeps its digest, step 2 receives the code back from the browser, which
holds it anyway, and must match that digest, so the captcha of step 1 cannot be skipped.
"""

from dataclasses import dataclass

from django.contrib.auth import HASH_SESSION_KEY, logout
from django.db import transaction

from core import clock
from codes.models import PendingRequest
from accounts.models import Space
from core import audit, guard
from codes import tokens, requests
from core.client import client_ip
from codes.requests import CodeRefused

STEP_KEY = "espace_activation_code"
DONE_KEY = "espace_activation_done"


@dataclass(frozen=True)
class Activated:
    space: Space
    kind: str


def remember_code(session, code: str) -> None:
    """Step 1 passed (well-formed code, captcha solved): remember the code's digest."""
    session[STEP_KEY] = tokens.digest(code)


def code_matches_step(session, code: str) -> bool:
    """Return whether code is the one that passed step 1 in this session."""
    expected = session.get(STEP_KEY)
    return bool(expected) and tokens.well_formed(code) and tokens.digest(code) == expected


def activate(request, *, code: str, email: str) -> Activated:
    """Apply the live request of code and email, exactly once; raise CodeRefused otherwise.

    What is applied depends on the request's kind (requests.POLICIES: creation today; email
    change and option plug in there). The code is a secret: its check is guarded like a
    password's (R-THROTTLE-1), counted against the email and the client address, so the
    71 bits of a code are never brute-forced online.
    """
    now = clock.now()
    activatable = [kind for kind, policy in requests.POLICIES.items() if policy.apply is not None]

    def verify():
        try:
            with transaction.atomic():
                pending = requests.find_live(code, email, now, kinds=activatable)
                payload = requests.consume(pending, now)
                space = requests.POLICIES[pending.kind].apply(pending, payload, now)
                audit.record(request, audit.Kind.ACTIVATION_OK, space=space, email=email, request_kind=pending.kind)
        except CodeRefused:
            return None
        return Activated(space=space, kind=pending.kind)

    checked = guard.check_secret(account=email, address=client_ip(request), verify=verify)
    if not checked.ok:
        reason = "throttled" if checked.verdict is guard.Verdict.THROTTLED else "refused"
        audit.record(request, audit.Kind.ACTIVATION_FAILED, email=email, reason=reason)
        raise CodeRefused()
    request.session.pop(STEP_KEY, None)
    space = checked.value.space
    own_session = getattr(request.user, "pk", None) == space.pk
    if own_session and request.session.get(HASH_SESSION_KEY) != space.get_session_auth_hash():
        # The activation changed the credentials of the space logged in here (J8's option from
        # inside the space): Django would end this session at its next request and lose the
        # confirmation below; end it now, then keep only the confirmation in the new session.
        logout(request)
    # R-PDF-2: this browser session, and only it, may download the recap from the confirmation.
    request.session[DONE_KEY] = {"space": space.pk, "kind": checked.value.kind, "at": now.isoformat()}
    return checked.value


def done_template(session) -> str | None:
    """Return the confirmation page of the kind of request activated in this session."""
    done = session.get(DONE_KEY) or {}
    policy = requests.POLICIES.get(done.get("kind", PendingRequest.Kind.CREATION))
    return policy.done_template if policy else None


def activated_space(session) -> tuple[Space, str] | None:
    """Return the space activated in this session and when, for the confirmation page."""
    done = session.get(DONE_KEY)
    if not done:
        return None
    space = Space.objects.filter(pk=done["space"], is_active=True).first()
    return (space, done["at"]) if space else None
