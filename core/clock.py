"""The one place the product reads the time (STYLE §3: a clock you can set in tests)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """Return the current time, aware, in UTC (R-TIME-1: stored in UTC)."""
    return timezone.now()


def paris(moment: datetime) -> datetime:
    """Return moment in Europe/Paris, for display and for Paris-day rules."""
    return moment.astimezone(PARIS)


def paris_today() -> date:
    """Return today's date in Paris: the day the rules count in (R-PWD-6, R-NUM-1)."""
    return paris(now()).date()


MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def long_date(day: date) -> str:
    """Return "22 février 2029", as the guides write dates in sentences (R-PWD-6).

    The first of a month is written "1er décembre 2026", as French typography wants it. A
    moment (datetime) is dated by its day in Paris (R-TIME-1).
    """
    if isinstance(day, datetime):
        day = paris(day).date()
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"

