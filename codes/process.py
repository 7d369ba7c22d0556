"""The one code process, for every purpose and channel (R-CODE-*), after allauth's code verification.

A request goes ``initiate`` (stored, its code sent by its kind's channel) → ``resume``
(found again by its code, with the reason of a refusal) → ``finish`` (consumed exactly
once) or ``abort`` (voided); ``record_invalid_attempt`` counts a wrong answer to another
secret of the request (J5's trust answer) and aborts at the kind's last allowed one.

The state lives in the database, never in the session: the session keeps at most the
code's digest (``recall``), the browser sends the code back (STYLE: leave allauth's raw
codes in the session). Every check of a code runs through ``check``, the one guarded check
(R-THROTTLE-1), so that the 71 bits of a code are never brute-forced online.

J2 (codes.flows), J5 (accounts.flows.recovery) and J8 outside the space
(accounts.flows.option) use this process and nothing under it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db import transaction

from codes import registry, requests, tokens
from codes.errors import CodeMalformed, CodeRefused, CodeThrottled, CodeWrong
from codes.models import PendingRequest
from core import guard
from core.client import client_ip

T = TypeVar("T")
# Where record_invalid_attempt counts, in the request's payload (the name J5 has always stored).
ATTEMPTS_KEY = "wrong_answers"


class _Rehearsal(Exception):
    """Rolls back the rehearsal of a request that matched nothing."""


class CodeProcess:
    """One pending request through its life; ``kind`` is its declaration (codes.registry)."""

    def __init__(self, pending: PendingRequest, now: datetime):
        self.pending = pending
        self.kind = registry.get(pending.kind)
        self.now = now

    @classmethod
    def initiate(
        cls,
        *,
        kind: str,
        email: str,
        payload: dict,
        now: datetime,
        space=None,
        address: Sequence[str] | str | None = None,
        **context,
    ) -> "CodeProcess":
        """Store a request of kind and send its code, in the caller's transaction.

        Raise EmailUnavailable (or the kind's own error) if email may not be taken
        (R-MAIL-3); the message context is the kind's message's (ttl_hours is added).
        ``address``: where the code goes when not to email (a letter's lines; another
        mailbox for an email kind), J2 matching it with email all the same.
        """
        pending = requests.open_request(
            kind=kind, email=email, payload=payload, now=now, space=space, address=address, **context
        )
        return cls(pending, now)

    @classmethod
    def rehearse(cls, *, kind: str, email: str, now: datetime, **context) -> None:
        """Do the work of ``initiate`` for an address that gets no code, then roll it back.

        Nothing is stored or sent, yet the time spent is a real request's: a miss must not
        answer faster than a match (SPEC §4: not by message, status or timing). The DELETE
        that voids a space's earlier request runs too, on no space.
        """
        try:
            with transaction.atomic():
                if registry.get(kind).replaces_previous:
                    PendingRequest.objects.filter(space=None, kind=kind, email=email, used_at__isnull=True).delete()
                requests.open_request(kind=kind, email=email, payload={}, now=now, **context)
                raise _Rehearsal()
        except _Rehearsal:
            pass

    @classmethod
    def resume(
        cls, *, code: str, email: str, kinds: Sequence[str], now: datetime, space=None, lock: bool = False
    ) -> "CodeProcess":
        """Return the process of the live request of code and email; raise a CodeRefused saying why.

        ``kinds``: the kinds the page handles; ``space``: the space the code must be for;
        ``lock``: hold the row until the transaction ends (before record_invalid_attempt).
        """
        if not tokens.well_formed(code):
            raise CodeMalformed()
        return cls(requests.find(tokens.digest(code), email, now, kinds=kinds, space=space, lock=lock), now)

    @classmethod
    def recall(cls, *, digest: str, email: str, kinds: Sequence[str], now: datetime) -> "CodeProcess | None":
        """Return the process whose code this session proved (it kept the digest), if still live."""
        try:
            return cls(requests.find(digest, email, now, kinds=kinds), now)
        except CodeRefused:
            return None

    def record_invalid_attempt(self) -> bool:
        """Count a wrong answer to another secret of the request; return whether the request lives on.

        At the kind's ``attempts``-th the request is aborted: its code is dead, a new one
        must be asked for. Call it on a process resumed with ``lock=True``: the row lock
        serialises two answers to one code, each sees the other's count.
        """
        wrong = self.pending.payload.get(ATTEMPTS_KEY, 0) + 1
        if wrong >= self.kind.max_attempts:
            self.abort()
            return False
        self.pending.payload = {**self.pending.payload, ATTEMPTS_KEY: wrong}
        PendingRequest.objects.filter(pk=self.pending.pk).update(payload=self.pending.payload)
        return True

    def finish(self) -> dict:
        """Consume the request exactly once and return its payload, wiped from the row.

        Raise CodeUsed when another transaction consumed it first (the same code submitted
        twice at the same moment).
        """
        return requests.consume(self.pending, self.now)

    def activate(self):
        """Finish the request and apply its kind (J2); return what ``apply`` returns, the space.

        ``apply`` may raise a CodeRefused (CodeVoid: what the request was for changed
        meanwhile): inside ``check``, the consumption rolls back with it.
        """
        payload = self.finish()
        return self.kind.apply(self.pending, payload, self.now)

    def abort(self) -> None:
        """Void the request now: its code stops working, its claim and payload go; housekeeping deletes it."""
        PendingRequest.objects.filter(pk=self.pending.pk).update(expires_at=self.now, held_email=None, payload={})


@dataclass(frozen=True)
class Failed:
    """What an attempt returns when a secret other than the code was wrong: counted, its writes kept."""

    error: Exception

    def __bool__(self) -> bool:
        return False


def check(request, *, account: str, attempt: Callable[[], T], reset_on_success: bool = True) -> T:
    """Run attempt() through the one guarded check (R-THROTTLE-1), in a transaction; return its value.

    ``attempt`` resumes a process and finishes it. A CodeRefused it raises rolls its writes
    back and is raised again here, typed; a ``Failed`` it returns keeps its writes (J5's
    count of wrong answers) and its error is raised here. Both count a failure against
    ``account`` and the client address, like a wrong password (a falsy return, too, as a
    CodeWrong). Past the limits ``attempt`` is not called at all: CodeThrottled.
    ``reset_on_success``: see core.guard.check_secret.
    """
    refusals: list[Exception] = []

    def verify():
        try:
            with transaction.atomic():
                value = attempt()
        except CodeRefused as refused:
            refusals.append(refused)
            return None
        if isinstance(value, Failed):
            refusals.append(value.error)
        return value

    checked = guard.check_secret(
        account=account, address=client_ip(request), verify=verify, reset_on_success=reset_on_success
    )
    if checked.verdict is guard.Verdict.THROTTLED:
        raise CodeThrottled(checked.until)
    if not checked.ok:
        raise refusals[0] if refusals else CodeWrong()
    return checked.value
