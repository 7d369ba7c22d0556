"""J8 "Opter pour l'accès sans certificat" (guide 004), inside and outside the space.

Inside, the certificate session is the proof of ownership. Outside (lost, revoked or
expired certificate), the proof is a 1-hour code sent to the email on file, asked for with
the subscriber number; that request never tells whether the number exists. Both then run
the same two steps ("Créer vos identifiants", then the trust question) and store one OPTION
request whose code, emailed to the chosen address, is activated through the one activation
entry (J2), which applies ``spaces.opt_for_password``.

Outside, when the chosen login email is the address the 1-hour code has just proven, a
second code to that same mailbox would prove nothing more: the option is applied at once
(``apply_at_once``), as its activation would. Inside, the certificate session proves the
space, not any mailbox: the chosen address always gets its activation code.

The wizard's state lives in the server-side session, hashes only: the password and the
trust answer are hashed (Argon2id) as soon as they are validated, like J1's.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from core import clock
from accounts.kinds import Kind
from accounts.models import AccessMode, Space
from codes.models import PendingRequest
from core import audit
from codes import flows as activation
from codes import process, registry, requests
from codes.errors import CodeRefused, CodeVoid, CodeWrong, EmailUnavailable  # noqa: F401 (re-export)
from codes.process import CodeProcess
from core.client import client_ip
from core.throttle import Throttle
from accounts.events import Kind as Event
from codes.events import Kind as CodesEvent

SESSION_KEY = "espace_option"
INSIDE, OUTSIDE = "inside", "outside"
STEPS = ("start", "credentials", "trust")


class TooManyRequests(Exception):
    """Too many outside requests for one subscriber number or from one client address."""


class StateLost(Exception):
    """No option under way in this session for this origin (old tab, expired, other space)."""


def certificate_space(pk) -> Space | None:
    """Return the active certificate space pk, or None once it has opted (or never was one)."""
    return Space.objects.filter(pk=pk, access_mode=AccessMode.CERTIFICATE, is_active=True).first()


@dataclass
class Option:
    """The option wizard of one browser session, for one certificate space."""

    session: object
    origin: str

    @property
    def state(self) -> dict:
        return self.session.get(SESSION_KEY) or {}

    def _save(self, state: dict) -> None:
        self.session[SESSION_KEY] = state

    def begin(self, space: Space, now: datetime, proven: str = "") -> None:
        """Start the wizard for space: the warning was acknowledged, or the code checked.

        ``proven``: the address the outside code was sent to, which its check just proved.
        """
        self._save({"origin": self.origin, "space": space.pk, "started_at": now.isoformat(), "proven": proven})

    @property
    def proven(self) -> str:
        return self.state.get("proven", "") if self.origin == OUTSIDE else ""

    def email_is_proven(self) -> bool:
        """Return whether the chosen login email is the mailbox the outside code proved."""
        proven = self.proven
        return bool(proven) and self.email.casefold() == proven.casefold()

    def space(self, user=None) -> Space:
        """Return the space this wizard works for; raise StateLost if there is none.

        Inside, the wizard must belong to the logged-in space. Outside, the code proved the
        mailbox for RESET_CODE_TTL: past it, the person asks for a new code.
        """
        state = self.state
        if state.get("origin") != self.origin or "space" not in state:
            raise StateLost()
        if self.origin == INSIDE and (user is None or state["space"] != user.pk):
            raise StateLost()
        started = datetime.fromisoformat(state["started_at"])
        if self.origin == OUTSIDE and clock.now() - started > settings.RESET_CODE_TTL:
            raise StateLost()
        space = certificate_space(state["space"])
        if space is None:
            raise StateLost()
        return space

    def reached(self, step: str) -> bool:
        done_before = STEPS[1 : STEPS.index(step)]
        return all(self.state.get(done) for done in done_before)

    def set_credentials(self, *, email: str, password: str) -> None:
        self._save({**self.state, "credentials": {"email": email, "password_hash": make_password(password)}})

    @property
    def email(self) -> str:
        return self.state.get("credentials", {}).get("email", "")

    def finish(self, sent: dict) -> None:
        self._save({"origin": self.origin, "sent": sent})

    def end(self) -> None:
        self.session.pop(SESSION_KEY, None)

    @property
    def sent(self) -> dict | None:
        state = self.state
        return state.get("sent") if state.get("origin") == self.origin else None


def check_email(request, space: Space, email: str) -> None:
    """Raise EmailUnavailable unless space may take email as its login (R-MAIL-3).

    Certificate spaces may share a contact address; the first to take it as a login (or
    hold it with a live request) keeps it, the others must choose another. The answer tells
    whether an address is taken: capped per client address like J1's step 2 (raise
    TooManyChecks past it).
    """
    if not Throttle.default().within_limit("email_checks_per_address", key=client_ip(request)):
        raise TooManyChecks()
    requests.check_available(Kind.OPTION, email, clock.now(), space)


class TooManyChecks(Exception):
    """Too many "is this email free?" answers from one client address."""


def _payload(option: Option, trust_question: str, trust_answer: str) -> dict:
    return {
        "password_hash": option.state["credentials"]["password_hash"],
        "trust_question": trust_question,
        "trust_answer_hash": make_password(trust_answer),
    }


def confirm(request, option: Option, space: Space, *, trust_question: str, trust_answer: str) -> PendingRequest:
    """Store the OPTION request and queue its code to the chosen email, in one transaction.

    A new request replaces the space's pending one (its code stops working). Raise
    EmailUnavailable if the email was taken meanwhile. Until activation nothing of the
    space changes: only the certificate opens it (guide 004).
    """
    credentials = option.state["credentials"]
    payload = _payload(option, trust_question, trust_answer)
    with transaction.atomic():
        pending = CodeProcess.initiate(
            kind=Kind.OPTION, email=credentials["email"], payload=payload, now=clock.now(), space=space
        ).pending
        audit.record(
            request, Event.OPTION_REQUESTED, space=space, email=credentials["email"], origin=option.origin
        )
    option.finish({"email": credentials["email"], "name": f"{space.get_civility_display()} {space.display_name}"})
    return pending


def request_code(request, *, number: str, email: str) -> None:
    """Outside: email a 1-hour code to the email on file if number and email match a certificate space.

    Answer the same whether or not they match (the caller shows one page): the code goes
    only to the address already on file, so the answer needs to reveal nothing. Raise
    TooManyRequests past the ceilings per number (counted for any number typed, so the
    refusal says nothing either) and per client address.
    """
    throttle = Throttle.default()
    by_number = throttle.within_limit("option_recoveries_per_number", key=number)
    by_address = throttle.within_limit("option_recoveries_per_address", key=client_ip(request))
    if not (by_number and by_address):
        audit.record(request, Event.OPTION_RECOVERY_REFUSED, email=email, reason="throttled")
        raise TooManyRequests()
    space = Space.objects.filter(
        subscriber_number=number, contact_email__iexact=email, access_mode=AccessMode.CERTIFICATE, is_active=True
    ).first()
    if space is None:
        # The writes of a match (the request, the encrypted email), rolled back: without them
        # a miss answers measurably faster (about 10 ms to 20 ms), which would tell whether the
        # number and the address belong to a certificate space (SPEC §4: not by timing).
        CodeProcess.rehearse(kind=Kind.OPTION_RECOVERY, email=email, now=clock.now(), number=number)
        audit.record(request, Event.OPTION_RECOVERY_REFUSED, email=email, reason="no_match")
        return
    with transaction.atomic():
        CodeProcess.initiate(
            kind=Kind.OPTION_RECOVERY,
            email=space.contact_email,
            payload={},
            now=clock.now(),
            space=space,
            number=space.subscriber_number,
        )
        audit.record(request, Event.OPTION_RECOVERY_REQUESTED, space=space, email=space.contact_email)


def check_code(request, option: Option, *, number: str, code: str) -> Space:
    """Outside: check the code of number, exactly once, and start the wizard; raise CodeRefused.

    The code is a secret: its check is guarded (R-THROTTLE-1), counted against the
    subscriber number and the client address. One answer for an unknown number, a wrong,
    used or expired code: nothing tells them apart (the audit log keeps the reason).
    """
    now = clock.now()

    def attempt() -> Space:
        space = Space.objects.filter(
            subscriber_number=number, access_mode=AccessMode.CERTIFICATE, is_active=True
        ).first()
        if space is None:
            raise CodeWrong()
        # The code proves the mailbox once: used here, it cannot start a second wizard.
        CodeProcess.resume(
            code=code, email=space.contact_email, kinds=[Kind.OPTION_RECOVERY], now=now, space=space
        ).finish()
        return space

    try:
        space = process.check(request, account=number, attempt=attempt)
    except CodeRefused as refused:
        audit.record(request, Event.OPTION_RECOVERY_REFUSED, reason=refused.reason, number=number)
        raise
    audit.record(request, Event.OPTION_RECOVERY_OK, space=space)
    option.begin(space, now, proven=space.contact_email)
    return space


def apply_at_once(request, option: Option, space: Space, *, trust_question: str, trust_answer: str) -> Space:
    """Outside, login email = the mailbox just proven: apply the option now, as its activation would.

    The same effect as J2's activation of an OPTION request: the kind's own ``apply``
    (``spaces.opt_for_password``), its audit event ``activation_ok``, and this session
    remembered as the one that may show the confirmation and download the recap. All of it
    in one transaction: R-MAIL-3 is checked there (another space or a live request may have
    taken the address since "Créer vos identifiants"), the space's pending OPTION request, if
    any, is voided as a new one would replace it, and a concurrent taker of the address
    (the unique login) rolls everything back. Raise EmailUnavailable, or StateLost when the
    space opted meanwhile (CodeVoid).
    """
    email = option.email
    now = clock.now()
    payload = _payload(option, trust_question, trust_answer)
    # Not stored: what ``apply`` reads of a request (its email and space), as J2 gives it.
    pending = PendingRequest(kind=Kind.OPTION, email=email, space=space, payload={}, created_at=now, expires_at=now)
    try:
        with transaction.atomic():
            PendingRequest.objects.filter(space=space, kind=Kind.OPTION, used_at__isnull=True).delete()
            requests.check_available(Kind.OPTION, email, now, space)
            applied = registry.get(Kind.OPTION).apply(pending, payload, now)
            audit.record(
                request,
                CodesEvent.ACTIVATION_OK,
                space=applied,
                email=email,
                request_kind=Kind.OPTION,
                origin=option.origin,
                proof="option_recovery_code",
            )
    except IntegrityError:
        raise EmailUnavailable(email) from None
    except CodeVoid:
        raise StateLost() from None
    option.end()
    activation.remember_done(request, applied, Kind.OPTION, now)
    return applied
