"""J15 "Modifier mes coordonnées" (R-COORD-1): the change, its email and its audit event, in one transaction."""

from datetime import datetime

from django.db import transaction

from accounts.events import Kind as Event
from accounts.models import Space
from accounts.services import emails
from core import audit, clock

# J1 step 3's fields a space may change (the trust question is J4's, the contact email follows
# the login email): each with the words the confirmation email and page name it by.
WORDS = {
    "civility": "la civilité",
    "last_name": "le nom",
    "first_name": "le prénom",
    "foreign_company": "l'entreprise d'appartenance",
    "company_identifier": "l'entreprise d'appartenance",
    "phone": "le numéro de téléphone",
    "street_number": "l'adresse",
    "street_type": "l'adresse",
    "street_name": "l'adresse",
    "address_complement": "l'adresse",
    "postal_code": "l'adresse",
    "city": "l'adresse",
    "country": "l'adresse",
}
FIELDS = tuple(WORDS)


def change(*, space: Space, values: dict, now: datetime, request=None) -> list[str]:
    """Give space the coordinates values; return what changed, in words ("le nom", "l'adresse").

    The space's row is locked: two pages posted at once cannot interleave their fields. The
    email says what changed in words, never the values (it may be read by whoever reads the
    mailbox); the audit event names the fields only.
    """
    with transaction.atomic():
        locked = Space.objects.select_for_update().filter(pk=space.pk, is_active=True).first()
        # Deleted meanwhile (J16 in another tab), or nothing left to change (two pages posted at once).
        changed = [field for field in FIELDS if getattr(locked, field) != values[field]] if locked else []
        if not changed:
            return []
        for field in changed:
            setattr(locked, field, values[field])
            setattr(space, field, values[field])  # the request's user shows the new data at once
        locked.save(update_fields=changed)
        words = list(dict.fromkeys(WORDS[field] for field in changed))
        local = clock.paris(now)
        emails.send(
            "coordinates_changed",
            to=locked.login_email or locked.contact_email,
            changes=words,
            changed_on=clock.long_date(local.date()),
            changed_at=local.strftime("%H:%M"),
        )
        audit.record(request, Event.COORDINATES_CHANGED, space=locked, email=locked.login_email or "", fields=changed)
    return words
