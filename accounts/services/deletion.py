"""J16 "Supprimer mon espace professionnel" (R-DEL-SPACE-1): the space becomes a tombstone.

In one transaction, on the locked row of the space:

1. refused while the space is the live titulaire of a service (it must be substituted first,
   R-SUB-1): ``StillTitulaire`` carries the list;
2. everything it holds ends (habilitations.services.departure.end_all), naming it to the
   other parties while its name is still there;
3. its pending requests go: the letters not yet handed over that carry their codes are
   withdrawn (codes.letters.void_pending), then the requests are deleted (their payloads hold
   hashes and personal data); the outbox's earlier emails to its address go too;
4. its personal data are erased: the row stays as a tombstone (``deleted_at``, is_active False)
   that keeps the subscriber number (never allocated again: R-NUM-1 counts forward and the
   column is unique), the creation date and nothing that names or reaches a person; the
   password becomes unusable, the trust answer's hash goes, the certificates and the password
   history are deleted. The session auth hash (Space.get_session_auth_hash) covers the
   password, the login email and the trust answer: every session of the space ends;
5. a last email goes to the address taken before erasing it, and SPACE_DELETED is recorded.

The audit log keeps the space's events for AUDIT_RETENTION (SPEC §4): their address, browser
and email columns included; the other parties' rows name it as they did (docs/decisions.md).
"""

from datetime import datetime

from django.db import transaction

from accounts.events import Kind as Event
from accounts.models import Space
from accounts.services import emails
from codes import letters
from codes.models import PendingRequest
from core import audit, clock
from habilitations import selectors as habilitations
from habilitations.services import departure
from mailer.models import OutboxEmail

# Every personal field of Space and the value a tombstone holds; what is not here stays:
# the subscriber number, the access mode, the creation date, deleted_at.
ERASED = {
    "login_email": None,
    "contact_email": "",
    "civility": "",
    "last_name": "",
    "first_name": "",
    "foreign_company": False,
    "company_identifier": "",
    "phone": "",
    "street_number": "",
    "street_type": "",
    "street_name": "",
    "address_complement": "",
    "postal_code": "",
    "city": "",
    "country": "",
    "trust_question": "",
    "trust_answer_hash": "",
    "password_changed_at": None,
    "password_expires_on": None,
    "reminded_60_days_for": None,
    "reminded_7_days_for": None,
    "is_active": False,
}


class StillTitulaire(Exception):
    """The space is the live titulaire of services (R-SUB-1 first): ``services`` lists them."""

    def __init__(self, services):
        super().__init__()
        self.services = services


def delete(*, space: Space, now: datetime, request=None) -> bool:
    """Delete space as R-DEL-SPACE-1 says; return False if it was deleted already (two pages posted
    at once: the second finds a tombstone and does nothing). Raise StillTitulaire (nothing
    written) while it is titulaire."""
    with transaction.atomic():
        locked = Space.objects.select_for_update().filter(pk=space.pk, deleted_at__isnull=True).first()
        if locked is None:
            return False
        titled = habilitations.titled_services(locked, now=now)
        if titled:
            raise StillTitulaire(titled)
        # The last email goes to the contact address, as every notice of the space does.
        address = locked.contact_email or locked.login_email
        addresses = {email for email in (locked.contact_email, locked.login_email) if email}
        number = locked.subscriber_number
        ended = departure.end_all(space=locked, now=now, request=request)

        pending = PendingRequest.objects.filter(space=locked)
        withdrawn = letters.void_pending(pending.filter(used_at__isnull=True).values_list("code_hash", flat=True))
        voided = pending.filter(used_at__isnull=True).count()
        pending.delete()
        # The outbox's earlier emails to the address (their bodies are wiped once sent): they
        # name the space's address and tell of it. An address another space still uses is
        # that space's mailbox too (a certificate space may share its contact address): kept.
        for email in addresses:
            if not Space.objects.filter(contact_email=email).exclude(pk=locked.pk).exists():
                OutboxEmail.objects.filter(to=email).delete()

        locked.certificates.all().delete()
        locked.password_history.all().delete()
        for name, value in ERASED.items():
            setattr(locked, name, value)
        locked.set_unusable_password()
        locked.deleted_at = now
        locked.save()

        local = clock.paris(now)
        emails.send(
            "space_deleted",
            to=address,
            subscriber_number=number,
            deleted_on=clock.long_date(local.date()),
            deleted_at=local.strftime("%H:%M"),
        )
        audit.record(
            request,
            Event.SPACE_DELETED,
            space=locked,
            email=address,
            habilitations=ended.habilitations,
            suppleances=ended.suppleances,
            delegations=ended.delegations,
            requests=ended.requests + voided,
            letters=withdrawn,
        )
    return True
