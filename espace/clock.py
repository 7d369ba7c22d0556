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
    return paris(now()).date()
