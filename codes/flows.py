"""J2 "Activez votre espace ou vos services": one entry for every code.

What is applied depends on the request's kind: any registered kind with ``apply``
(codes.registry), whatever channel carried its code. J2 names no kind.

The code is never kept in the session in clear (STYLE: leave allauth's raw codes in the
session): step 1 keeps its digest, step 2 receives the code back from the browser, which
holds it anyway, and must match that digest, so the captcha of step 1 cannot be skipped.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import HASH_SESSION_KEY, get_user_model, logout

from codes import registry, tokens
from codes.errors import CodeRefused
from codes.process import CodeProcess, check
from core import audit, clock
from codes.events import Kind as Event

STEP_KEY = "espace_activation_code"
DONE_KEY = "espace_activation_done"


@dataclass(frozen=True)
class Activated:
    space: object  # settings.AUTH_USER_MODEL
    kind: str


def remember_code(session, code: str) -> None:
    """Step 1 passed (well-formed code, captcha solved): remember the code's digest."""
    session[STEP_KEY] = tokens.digest(code)


def code_matches_step(session, code: str) -> bool:
    """Return whether code is the one that passed step 1 in this session."""
    return tokens.matches(code, session.get(STEP_KEY))


def activate(request, *, code: str, email: str) -> Activated:
    """Apply the live request of code and email, exactly once; raise a CodeRefused otherwise.

    The code is a secret: its check is guarded like a password's (R-THROTTLE-1), counted
    against the email and the client address. The refusal's reason goes to the audit log,
    never to the person (R-CODE-2).
    """
    now = clock.now()

    def attempt() -> Activated:
        process = CodeProcess.resume(code=code, email=email, kinds=registry.activatable(), now=now)
        space = process.activate()
        audit.record(request, Event.ACTIVATION_OK, space=space, email=email, request_kind=process.kind.name)
        return Activated(space=space, kind=process.kind.name)

    try:
        activated = check(request, account=email, attempt=attempt)
    except CodeRefused as refused:
        audit.record(request, Event.ACTIVATION_FAILED, email=email, reason=refused.reason)
        raise
    request.session.pop(STEP_KEY, None)
    remember_done(request, activated.space, activated.kind, now)
    return activated


def remember_done(request, space, kind: str, now: datetime) -> None:
    """Keep, in this browser session only, that it applied a request of kind to space (R-PDF-2).

    The confirmation page and the recap read it. Also used by a journey that applies a kind
    without a code of its own (J8 outside, when the chosen email is the one its code proved).
    """
    own_session = getattr(request.user, "pk", None) == space.pk
    if own_session and request.session.get(HASH_SESSION_KEY) != space.get_session_auth_hash():
        # The activation changed the credentials of the space logged in here (J8's option from
        # inside the space): Django would end this session at its next request and lose the
        # confirmation below; end it now, then keep only the confirmation in the new session.
        logout(request)
    # R-PDF-2: this browser session, and only it, may download the recap from the confirmation.
    request.session[DONE_KEY] = {"space": space.pk, "kind": kind, "at": now.isoformat()}


def done_kind(session) -> registry.RequestKind | None:
    """Return the kind of request activated in this session: its confirmation page and context."""
    try:
        return registry.get((session.get(DONE_KEY) or {}).get("kind", ""))
    except registry.UnknownKind:
        return None


def activated_space(session) -> tuple[object, datetime] | None:
    """Return the space activated in this session and when: the confirmation page's, the recap's."""
    done = session.get(DONE_KEY)
    if not done:
        return None
    space = get_user_model().objects.filter(pk=done["space"], is_active=True).first()
    return (space, datetime.fromisoformat(done["at"])) if space else None
