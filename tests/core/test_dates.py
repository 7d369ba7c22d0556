"""R-TIME-1 and the guides' typography: "1er décembre 2026", "22 février 2029", Paris days."""

from datetime import UTC, date, datetime

from django.template import Context, Template

from core import clock


def test_the_first_of_a_month_is_written_1er():
    assert clock.long_date(date(2026, 12, 1)) == "1er décembre 2026"
    assert clock.long_date(date(2029, 2, 22)) == "22 février 2029"
    assert clock.long_date(date(2026, 8, 31)) == "31 août 2026"


def test_a_moment_is_dated_by_its_day_in_paris():
    # 30 November 23:30 UTC is already 1 December in Paris.
    assert clock.long_date(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "1er décembre 2026"


def test_the_template_filter_writes_the_same_and_nothing_for_none():
    template = Template("{% load dates %}[{{ day|long_date }}][{{ none|long_date }}]")
    assert template.render(Context({"day": date(2027, 1, 1), "none": None})) == "[1er janvier 2027][]"
