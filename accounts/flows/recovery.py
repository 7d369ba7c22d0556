"""J5 "Mot de passe oublié ?": the mailbox proves itself (a code), then the trust answer,
then a new password.

1. ``request_code``: email + captcha. A password space gets a PASSWORD_RESET request (1 h,
   replacing its earlier one) and its code by email; any other address (unknown, a
   pending creation, a certificate space) gets nothing, after the *same* work: the same
   statements run in a savepoint that is rolled back. The answer is always the same
   redirect, so neither the page, the status nor the timing tells whether a space exists.
2. ``prove_code``: email + code, guarded like a password (R-THROTTLE-1). Only then does the
   session learn which request (by the code's digest, never the code) and the page show
   the space's trust question: shown earlier, it would tell that the email has a space.
3. ``reset``: code (again, from the browser) + answer + new password. Code and answer are
   checked in one guarded check; the code is consumed only when both are right, and a
   code survives RESET_ANSWER_ATTEMPTS - 1 wrong answers (the last one voids it).
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import check_password
from django.db import transaction

from core import clock

from accounts import selectors
from accounts.kinds import Kind
from accounts.models import AccessMode, Space
from core import audit
from codes import process, tokens
from accounts.services import emails, passwords
from core.client import client_ip
from codes.errors import CodeRefused, CodeThrottled, CodeVoid
from codes.models import PendingRequest
from codes.process import CodeProcess, Failed
from core.throttle import Throttle
from accounts.events import Kind as Event

KIND = Kind.PASSWORD_RESET
STEP_KEY = "espace_recovery"  # {"email": typed at step 1 or 2, "digest": the proven code's}
DONE_KEY = "espace_recovery_done"


class TooManyRequests(Exception):
    """This client address asked for too many codes (reset_requests_per_address)."""


class AnswerRefused(Exception):
    """Wrong trust answer: the code stays alive for another try."""


class PasswordReused(Exception):
    """Right code and answer, but the new password is the current one or one of the last 5."""


class CodeVoided(Exception):
    """The last allowed wrong answer: the code is dead, a new one must be asked for."""


class Throttled(Exception):
    """The account is blocked for a while (R-THROTTLE-1): nothing was checked.

    ``until``: when the delay ends, which tells nothing (the counters run for any email).
    """

    def __init__(self, until=None):
        super().__init__()
        self.until = until


def request_code(request, *, email: str) -> None:
    """Email a reset code to the password space of email; for any other address, do the same work for nothing.

    The decoy runs the very statements of a real request (the DELETE of an earlier
    request, the INSERT of the request, the rendering, encryption and INSERT of the
    email) in a savepoint, then rolls it back (CodeProcess.rehearse): no row stays and no
    email leaves, yet the time spent is the same (measured in tests/accounts/test_j5.py,
    medians within 5 %).
    """
    throttle = Throttle.default()
    if not throttle.within_limit("reset_requests_per_address", key=client_ip(request)):
        raise TooManyRequests()
    # Counted for every email typed, with or without a space, so the ceiling tells nothing.
    space = selectors.password_space(email) if throttle.within_limit("reset_requests_per_email", key=email) else None
    now = clock.now()
    # One outer transaction in both cases, committed in both (with the audit row): a commit
    # of the request for a space against a bare rollback for the others would differ by a
    # disk flush, which a stopwatch can see.
    with transaction.atomic():
        if space is None:
            CodeProcess.rehearse(kind=KIND, email=email, now=now)
        else:
            CodeProcess.initiate(kind=KIND, email=email, payload={}, now=now, space=space)
        audit.record(request, Event.RESET_REQUESTED, space=space, email=email)
    request.session[STEP_KEY] = {"email": email}


def remembered_email(session) -> str:
    """Return the email typed at step 1 in this browser, to fill in the code page."""
    return (session.get(STEP_KEY) or {}).get("email", "")


def prove_code(request, *, email: str, code: str) -> None:
    """Check the code of email (guarded like a password); remember the proof, or raise.

    Raises a CodeRefused for a wrong, used, expired or replaced code, and while throttled:
    one answer for all (R-CODE-2), so the code page tells nothing about the email either.
    """
    now = clock.now()
    try:
        process.check(
            request,
            account=email,
            attempt=lambda: CodeProcess.resume(code=code, email=email, kinds=[KIND], now=now),
            reset_on_success=False,  # the answer comes next: its failures must survive a new code
        )
    except CodeRefused as refused:
        audit.record(request, Event.RESET_CODE_FAILED, email=email, reason=refused.reason)
        raise
    request.session[STEP_KEY] = {"email": email, "digest": tokens.digest(code)}


@dataclass(frozen=True)
class Proven:
    """What step 3 may show: the request whose code this browser proved, and its space."""

    pending: PendingRequest
    space: Space
    email: str


def proven(session) -> Proven | None:
    """Return the live request whose code this session proved at step 2, or None."""
    step = session.get(STEP_KEY) or {}
    if not step.get("digest"):
        return None
    found = CodeProcess.recall(digest=step["digest"], email=step["email"], kinds=[KIND], now=clock.now())
    space = found and found.pending.space
    if not space or space.access_mode != AccessMode.PASSWORD or not space.is_active:
        return None
    return Proven(found.pending, space, step["email"])


def code_matches_step(session, code: str) -> bool:
    """Return whether code is the one proven at step 2 in this session."""
    return tokens.matches(code, (session.get(STEP_KEY) or {}).get("digest"))


def reset(request, *, email: str, code: str, answer: str, password: str) -> Space:
    """Check code and answer in one guarded check; if both are right, set the new password.

    The code is consumed only then; a wrong answer is counted on the request and against
    the account (R-THROTTLE-1), and the RESET_ANSWER_ATTEMPTS-th voids the code. Changing
    the password changes the session auth hash: every session of the space ends.
    Raises CodeRefused, AnswerRefused, CodeVoided or Throttled.
    """
    now = clock.now()

    def attempt():
        # The row lock serialises two answers to one code: each sees the other's count.
        found = CodeProcess.resume(code=code, email=email, kinds=[KIND], now=now, lock=True)
        space = found.pending.space
        if space is None or space.access_mode != AccessMode.PASSWORD:
            raise CodeVoid()
        if not check_password(answer, space.trust_answer_hash):  # R-TRUST-2: exactly as typed
            return Failed(AnswerRefused() if found.record_invalid_attempt() else CodeVoided())
        if passwords.was_used(space, password):  # R-PWD-3, only now that the answer is proven
            return PasswordReused  # truthy: right code and answer; the code stays usable
        found.finish()
        passwords.set_password(space, raw=password, at=now)
        emails.send(
            "password_changed",
            to=space.login_email,
            expires_on=clock.long_date(space.password_expires_on),
            reset=True,  # the person just used "Mot de passe oublié ?": not the advice to use it
        )
        audit.record(request, Event.RESET_DONE, space=space, email=email)
        return space

    try:
        space = process.check(request, account=email, attempt=attempt)
    except CodeThrottled as throttled:  # nothing was checked, neither the code nor the answer
        audit.record(request, Event.RESET_ANSWER_FAILED, email=email, reason="throttled")
        raise Throttled(throttled.until) from None
    except CodeRefused as refused:  # the code: wrong, used, expired, or its space changed
        audit.record(request, Event.RESET_CODE_FAILED, email=email, reason=refused.reason)
        request.session.pop(STEP_KEY, None)
        raise
    except (AnswerRefused, CodeVoided) as error:
        audit.record(request, Event.RESET_ANSWER_FAILED, email=email, reason=type(error).__name__)
        if isinstance(error, CodeVoided):
            request.session.pop(STEP_KEY, None)
        raise
    if space is PasswordReused:
        raise PasswordReused()
    request.session.pop(STEP_KEY, None)
    request.session[DONE_KEY] = space.password_expires_on.isoformat()
    return space


def done_until(session):
    """Return the last valid day of the password reset in this session, or None."""
    value = session.get(DONE_KEY)
    return date.fromisoformat(value) if value else None
