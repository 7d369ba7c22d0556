"""Spaces: creation at activation (J2), the recap data (R-PDF-1)."""

from datetime import datetime

from espace.models import AccessMode, PendingRequest, Space
from espace.selectors import profile_display
from espace.services import numbers, passwords
from recapitulatif import RecapData

PROFILE_FIELDS = (
    "civility",
    "last_name",
    "first_name",
    "foreign_company",
    "company_identifier",
    "phone",
    "street_number",
    "street_type",
    "street_name",
    "address_complement",
    "postal_code",
    "city",
    "country",
    "trust_question",
)


def create_from_request(pending: PendingRequest, payload: dict, now: datetime) -> Space:
    """Create the password space a creation request describes, with a new number (R-NUM-1)."""
    space = Space(
        subscriber_number=numbers.allocate(now),
        access_mode=AccessMode.PASSWORD,
        login_email=pending.email,
        contact_email=pending.email,
        trust_answer_hash=payload["trust_answer_hash"],
        created_at=now,
        **{field: payload[field] for field in PROFILE_FIELDS},
    )
    passwords.set_password(space, password_hash=payload["password_hash"], at=now)
    return space


def profile_of(space: Space) -> dict:
    """Return the profile fields of space as a mapping, the shape the selectors read."""
    return {field: getattr(space, field) for field in PROFILE_FIELDS}


def recap_data(space: Space, now: datetime) -> RecapData:
    """Return what the récapitulatif prints: never the trust answer (R-TRUST-2, R-PDF-1)."""
    display = profile_display(profile_of(space))
    return RecapData(
        civility=display.civility,
        last_name=space.last_name,
        first_name=space.first_name,
        subscriber_number=space.subscriber_number,
        phone=display.phone,
        login_email=space.login_email or "",
        address_lines=display.address_lines,
        foreign_company=space.foreign_company,
        company_identifier=display.company_identifier,
        company_name=display.company_name,
        trust_question=space.trust_question,
        created_at=now,
    )
