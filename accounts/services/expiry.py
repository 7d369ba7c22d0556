"""Password expiry (R-EXP-1, R-EXP-4): the days left, the countdown, and the reminder emails.

"N days left" is ``days_left``: the days from today (Paris) to the last valid day, 0 on that
day. The alert and the home's countdown show from EXPIRY_ALERT_DAYS (60) down to 0, like the
60-day reminder; the countdown says at least "1 jour" on the last day (access ends that night).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from core import clock
from accounts.models import AccessMode, Space
from accounts.services import emails

REMINDER_FIELDS = {60: "reminded_60_days_for", 7: "reminded_7_days_for"}


def days_left(space: Space, today: date | None = None) -> int | None:
    """Return the days from today to the last valid day (0 on that day), None without expiry."""
    if space.password_expires_on is None:
        return None
    return (space.password_expires_on - (today or clock.paris_today())).days


@dataclass(frozen=True)
class Countdown:
    expires_on: date
    days: int  # at least 1: "bloqué dans 1 jour" on the last valid day


def countdown(space: Space, today: date | None = None) -> Countdown | None:
    """Return the countdown to show in the space (R-EXP-1), None above EXPIRY_ALERT_DAYS."""
    left = days_left(space, today)
    if left is None or left > settings.EXPIRY_ALERT_DAYS:
        return None
    return Countdown(expires_on=space.password_expires_on, days=max(left, 1))


def send_reminders(today: date | None = None) -> int:
    """Queue the reminders due today; return how many were queued (R-EXP-4).

    Reminder N is due once the last valid day is at most N days away (a day the command did
    not run is caught up), and is sent once per password: the space's row records the expiry
    date it was sent for, claimed by a conditional UPDATE in the transaction that queues the
    email. Two nodes running this at the same moment: one UPDATE wins, the other changes no
    row and sends nothing. The shortest reminder goes first and marks the longer ones as sent:
    a space found with 5 days left gets one email, not two.
    """
    today = today or clock.paris_today()
    sent = 0
    for days in sorted(settings.EXPIRY_REMINDER_DAYS):
        field = REMINDER_FIELDS[days]
        due = Space.objects.filter(
            access_mode=AccessMode.PASSWORD,
            is_active=True,
            password_expires_on__gte=today,
            password_expires_on__lte=today + timedelta(days=days),
        ).exclude(**{field: F("password_expires_on")})
        longer = [REMINDER_FIELDS[other] for other in settings.EXPIRY_REMINDER_DAYS if other > days]
        for space in due.only("pk", "login_email", "password_expires_on"):
            sent += _remind(space, field, longer, today)
    return sent


def _remind(space: Space, field: str, longer: list[str], today: date) -> int:
    expires_on = space.password_expires_on
    with transaction.atomic():
        claimed = (
            Space.objects.filter(pk=space.pk, password_expires_on=expires_on)
            .exclude(**{field: expires_on})
            .update(**{name: expires_on for name in (field, *longer)})
        )
        if claimed != 1:
            return 0
        left = (expires_on - today).days
        emails.send(
            "expiry_reminder", to=space.login_email, expires_on=clock.long_date(expires_on), days_left=max(left, 1)
        )
    return 1
