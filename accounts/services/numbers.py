"""Subscriber numbers (R-NUM-1): YYYY + day of year + 7-digit sequence, never duplicated."""

from datetime import datetime

from django.db import transaction
from django.db.models import F

from core import clock
from accounts.models import SubscriberCounter

SEQUENCE_DIGITS = 7


def allocate(at: datetime) -> str:
    """Return a new subscriber number for an activation at the moment at.

    The counter row of the Paris day is incremented by one UPDATE: the database's row
    lock makes concurrent activations on any number of nodes wait for each other, so
    each reads back its own value. The unique constraint on Space.subscriber_number is
    the last line of defence.
    """
    day = clock.paris(at).strftime("%Y%j")
    with transaction.atomic():
        SubscriberCounter.objects.get_or_create(day=day)
        SubscriberCounter.objects.filter(day=day).update(last=F("last") + 1)
        last = SubscriberCounter.objects.get(day=day).last
    if last >= 10**SEQUENCE_DIGITS:
        raise OverflowError(f"plus de numéros d'abonné disponibles pour le jour {day}")
    return f"{day}{last:0{SEQUENCE_DIGITS}d}"
