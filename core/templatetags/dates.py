"""Dates as the guides write them in sentences: `{{ day|long_date }}` gives "1er décembre 2026"."""

from django import template

from core import clock

register = template.Library()


@register.filter
def long_date(day):
    """Return day (a date, or a moment dated in Paris) as "22 février 2029"; "" for None."""
    return clock.long_date(day) if day else ""
