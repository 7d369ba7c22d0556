"""J6 password expiry (guide 002): the alert after login, and "Mot de passe expiré".

- The alert (R-EXP-1) is a stage of the login pipeline (``flows.login.expiry_alert``), on
  ``services.expiry.countdown``.
- ``check_old_password`` then ``renew`` (R-EXP-2): the old password of an *expired* space, checked through the one
  guarded check (R-THROTTLE-1), then the new one. No session is ever opened here: the user
  logs in afterwards, like any other.
"""

from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.db import transaction

from core import clock

from accounts import selectors
from accounts.models import Space
from accounts.flows.login import dummy_hash
from core import audit, guard
from accounts.services import emails, passwords
from core.client import client_ip
from accounts.events import Kind as Event

EMAIL_KEY = "espace_expired_email"
DONE_KEY = "espace_expired_done"
NOTICE_KEY = "espace_expired_notice"


class RenewalRefused(Exception):
    """Wrong old password, unknown email, a space that is not expired, a certificate space,
    or throttled: one refusal, nothing tells which (SPEC §4). While throttled ``until``
    says when the delay ends: the counters run for any email typed, so that tells nothing."""

    def __init__(self, until=None):
        super().__init__()
        self.until = until


def note_expired_login(session, *, email: str) -> None:
    """The login page sent an expired password here: say why, and remember what it proved.

    The login checked this email's password (right, but expired) behind a captcha, in this
    browser session: for EXPIRED_LOGIN_PROOF_TTL, step 1 (the email and another captcha) has
    nothing left to prove (guide 002 goes straight on from the login).
    """
    session[NOTICE_KEY] = {"email": email, "at": clock.now().isoformat()}


def start_from_login(session) -> bool:
    """Pass step 1 with the email the login of this session just proved; return whether it did.

    Once only: the proof is spent (the notice stays, to be shown on step 2), so that "Étape
    précédente" shows step 1 as usual.
    """
    notice = session.get(NOTICE_KEY)
    if not isinstance(notice, dict) or not notice.get("at"):
        return False
    if clock.now() - datetime.fromisoformat(notice["at"]) > settings.EXPIRED_LOGIN_PROOF_TTL:
        return False
    session.pop(DONE_KEY, None)
    session[EMAIL_KEY] = notice["email"]
    session[NOTICE_KEY] = {"email": notice["email"]}
    return True


def start(session, email: str) -> None:
    """Step 1 passed (captcha solved): remember the email typed, whatever it is.

    Every email goes on to step 2: step 1 must not tell whether it has a space.
    """
    session.pop(DONE_KEY, None)
    session.pop(NOTICE_KEY, None)
    session[EMAIL_KEY] = email


def started_email(session) -> str | None:
    return session.get(EMAIL_KEY)


def _expired_space(email: str) -> Space | None:
    space = selectors.password_space(email)
    return space if space and passwords.is_expired(space) else None


def check_old_password(request, *, email: str, old_password: str) -> Space:
    """Return the expired space of email if old_password is its password; else RenewalRefused.

    The same work whatever the cause (one Argon2 check, against a dummy hash when there is
    no expired password space), and the right password of a space that is *not* expired
    counts as a failure: this page must not become a second login, nor an oracle telling
    which addresses have a space or which spaces have expired.
    """
    space = _expired_space(email)

    def verify():
        valid = check_password(old_password, space.password if space else dummy_hash())
        return space if valid and space else None

    checked = guard.check_secret(account=email, address=client_ip(request), verify=verify)
    if not checked.ok:
        audit.record(request, Event.RENEWAL_REFUSED, space=space, email=email, reason=checked.verdict.value)
        raise RenewalRefused(checked.until)
    return checked.value


def validate_new_password(space: Space, new_password: str) -> None:
    """Run every password rule against space, history included (R-PWD-1..4, R-PWD-3).

    Called only once the old password is proven: run earlier, "already used" would tell
    anyone whether a guess was the space's password, without the throttled check.
    """
    password_validation.validate_password(new_password, space)


def renew(request, space: Space, *, new_password: str) -> date:
    """Give the expired space its new password; return its last valid day (R-PWD-6)."""
    now = clock.now()
    with transaction.atomic():
        passwords.set_password(space, raw=new_password, at=now)
        audit.record(request, Event.PASSWORD_RENEWED, space=space, email=space.login_email)
        emails.send(
            "password_changed", to=space.login_email, expires_on=clock.long_date(space.password_expires_on)
        )
    request.session.pop(EMAIL_KEY, None)
    request.session[DONE_KEY] = space.password_expires_on.isoformat()
    return space.password_expires_on


def renewed_until(session) -> date | None:
    """Return the new last valid day renewed in this browser session, for the recap."""
    done = session.get(DONE_KEY)
    return date.fromisoformat(done) if done else None
