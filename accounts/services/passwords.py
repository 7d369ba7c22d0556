"""Password lifetime and history (R-PWD-3, R-PWD-5, R-PWD-6)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password

from core import clock
from accounts.models import PasswordHistory, Space
from codes import registry
from codes.models import PendingRequest


def expiry_date(changed_at: datetime) -> date:
    """Return the last valid day of a password changed at changed_at (R-PWD-6).

    (date of the change, Paris time) + 3 years - 1 day: 23/02/2026 -> 22/02/2029.
    A change on 29 February counts from 1 March of the target year minus one day.
    """
    day = clock.paris(changed_at).date()
    years = settings.PASSWORD_VALIDITY_YEARS
    try:
        anniversary = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        anniversary = date(day.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def is_expired(space: Space, today: date | None = None) -> bool:
    """Return True after the last valid day, end of that day in Paris (R-PWD-6)."""
    if space.password_expires_on is None:
        return False
    return (today or clock.paris_today()) > space.password_expires_on


def set_password(space: Space, *, at: datetime, raw: str | None = None, password_hash: str | None = None) -> None:
    """Give space a new password (raw, or already hashed at an earlier step) and save it.

    The one way a password changes (R-PWD-3, R-PWD-5, R-PWD-6): the password it replaces
    goes to the history, which keeps the last PASSWORD_HISTORY_SIZE previous ones, and the
    validity runs 3 years from ``at``. Validation (AUTH_PASSWORD_VALIDATORS, history
    included) is the caller's form's job, before anything is hashed.
    """
    if (raw is None) == (password_hash is None):
        raise ValueError("set_password takes raw or password_hash, not both")
    previous = space.password
    space.password = make_password(raw) if raw is not None else password_hash
    space.password_changed_at = at
    space.password_expires_on = expiry_date(at)
    space.save()
    # A new password ends every other live request of the space: an email change asked by
    # someone who had the old password, a reset code sent before. Whoever took the account
    # back must not lose it again to a request made with the credentials just replaced. The
    # request being applied, if any, is already consumed (used_at set) and is not touched.
    # Codes sent to the company rather than to the space (a letter to the siège, R-ADH-2; the
    # company's mailbox, R-ADH-4) are kept: they grant the space itself, whoever holds it
    # now, only with what the company received, and J11 lets the owner cancel them.
    PendingRequest.objects.filter(space=space, used_at__isnull=True).exclude(
        kind__in=[name for name, _label in registry.choices() if registry.get(name).matched_with_login]
    ).delete()
    if previous:
        PasswordHistory.objects.create(space=space, password_hash=previous, created_at=at)
        keep = space.password_history.values_list("pk", flat=True)[: settings.PASSWORD_HISTORY_SIZE]
        space.password_history.exclude(pk__in=list(keep)).delete()


def rehash(space: Space, raw: str, *, old_hash: str) -> bool:
    """Store raw hashed with today's parameters in place of old_hash; return whether it was.

    The setter of the login's check_password (R-PWD-5): the hasher's parameters were raised
    (or lowered) since old_hash was made. The password is the same, so this is no password
    change: the history, the change date and the expiry date stay (R-PWD-3, R-PWD-6) and no
    pending request is voided. The write is conditional on old_hash: a password changed
    meanwhile by another request is never put back to the one just checked. As the hash
    is part of the session's auth hash, the space's other sessions end once, as after a
    change.
    """
    new_hash = make_password(raw)
    if not Space.objects.filter(pk=space.pk, password=old_hash).update(password=new_hash):
        return False
    space.password = new_hash
    return True


def was_used(space: Space, raw: str) -> bool:
    """Return True if raw is the current password or one of the last 5 (R-PWD-3)."""
    if space.password and check_password(raw, space.password):
        return True
    recent = space.password_history.all()[: settings.PASSWORD_HISTORY_SIZE]
    return any(check_password(raw, old.password_hash) for old in recent)
