"""J4 "Modifier mes identifiants de connexion": password, trust question, login email.

The three boxes combine freely, always behind the current password (ASVS 2.1.6):

- the password and the trust question are applied at once, each with its seed's email;
  either ends every other session of the space (its session auth hash changes, ASVS 5.0
  V7.4.3) while this one keeps going under a new id (``update_session_auth_hash``);
- a new login email is a pending request (kind EMAIL_CHANGE, accounts.requests): a code
  goes to the new address, and the one activation entry (J2) applies it through
  ``spaces.change_login_email`` — with the new password, if one was chosen, hashed now and kept
  in the request's payload until then. Until activation only the old email logs in.
"""

from dataclasses import dataclass

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from core import clock
from accounts.kinds import Kind
from accounts.models import Space
from core import audit, guard
from accounts.services import emails, passwords
from codes.process import CodeProcess
from core.client import client_ip
from core.throttle import Throttle
from accounts.events import Kind as Event

DONE_KEY = "espace_credentials_done"


class TooManyChecks(Exception):
    """Too many email-change requests (availability answers, code emails) from one address."""


class CurrentPasswordRefused(Exception):
    """The current password is wrong, or the account is throttled (``until`` then says when it ends)."""

    def __init__(self, until=None):
        super().__init__()
        self.until = until


@dataclass(frozen=True)
class Change:
    """What the owner asked for; None means the box was not ticked."""

    current_password: str
    new_email: str | None = None
    new_password: str | None = None
    trust_question: str | None = None
    trust_answer: str | None = None


def check_current_password(request, space: Space, password: str, *, refused=Event.CREDENTIALS_REFUSED) -> None:
    """Check the current password through the one guarded check (R-THROTTLE-1).

    It counts against the space's login email, like a wrong password at login: a stolen
    session cannot try passwords faster than the login page allows. ``refused`` is the audit
    kind of a refusal (J4's by default; J15 and J16 name their own).
    """
    checked = guard.check_secret(
        account=space.login_email,
        address=client_ip(request),
        verify=lambda: check_password(password, space.password),
    )
    if not checked.ok:
        reason = "throttled" if checked.verdict is guard.Verdict.THROTTLED else "wrong_password"
        audit.record(request, refused, space=space, email=space.login_email, reason=reason)
        raise CurrentPasswordRefused(checked.until)


def change_credentials(request, space: Space, change: Change) -> dict:
    """Apply change for the logged-in space; return what the confirmation page shows.

    Order matters for security: the current password is checked first, and only then is
    the new one validated — the history validator (R-PWD-3) compares it with the last
    passwords, which must not become an oracle for a session without the password.
    Raise CurrentPasswordRefused, django ValidationError (new password refused by
    AUTH_PASSWORD_VALIDATORS) or codes.errors.EmailUnavailable (R-MAIL-3); on any of them
    nothing is written.
    """
    check_current_password(request, space, change.current_password)
    if change.new_password is not None:
        # R-PWD-2: zxcvbn is fed with this space's own data (names, number, email).
        validate_password(change.new_password, space)
    now = clock.now()
    done: dict = {"at": now.isoformat()}
    if change.new_email is not None and not Throttle.default().within_limit(
        "email_checks_per_address", key=client_ip(request)
    ):
        # The availability answer tells whether an address is taken, and each request sends a
        # code to the address typed: capped per client address like J1's step 2.
        raise TooManyChecks()
    with transaction.atomic():
        if change.new_email is not None:
            # The password waits for the email: both change together at activation.
            payload = {"password_hash": make_password(change.new_password) if change.new_password else None}
            CodeProcess.initiate(kind=Kind.EMAIL_CHANGE, email=change.new_email, payload=payload, now=now, space=space)
            audit.record(
                request,
                Event.EMAIL_CHANGE_REQUESTED,
                space=space,
                email=space.login_email,
                new_email=change.new_email,
                with_password=change.new_password is not None,
            )
            done["email_sent_to"] = change.new_email
        elif change.new_password is not None:
            passwords.set_password(space, raw=change.new_password, at=now)
            expires = clock.long_date(space.password_expires_on)  # "22 février 2029" (R-PWD-6)
            emails.send("password_changed", to=space.login_email, expires_on=expires)
            audit.record(request, Event.PASSWORD_CHANGED, space=space, email=space.login_email)
            done["password_expires_on"] = expires
        if change.trust_question is not None:
            space.trust_question = change.trust_question
            space.trust_answer_hash = make_password(change.trust_answer)  # Argon2id, never in clear
            space.save(update_fields=["trust_question", "trust_answer_hash"])
            emails.send("trust_changed", to=space.login_email)
            audit.record(request, Event.TRUST_CHANGED, space=space, email=space.login_email)
            done["trust"] = True
    if "password_expires_on" in done or "trust" in done:
        # Every other session of the space fails Django's hash check from now on; this
        # one is re-bound to the new hash and gets a new key.
        update_session_auth_hash(request, space)
    request.session[DONE_KEY] = done
    return done


def done_of(session) -> dict | None:
    """Return what the last change of this session did, for the confirmation page."""
    return session.get(DONE_KEY)
