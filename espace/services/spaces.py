"""Spaces: creation at activation (J2), the recap data (R-PDF-1)."""

from datetime import datetime

from espace.models import AccessMode, PendingRequest, Space
from espace.services import numbers, passwords
from espace.identity import format_phone, format_siren
from recapitulatif import RecapData
from registre.selectors import company_name

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


def create_from_request(request: PendingRequest, now: datetime) -> Space:
    """Create the password space a creation request describes, with a new number (R-NUM-1)."""
    payload = request.payload
    space = Space(
        subscriber_number=numbers.allocate(now),
        access_mode=AccessMode.PASSWORD,
        login_email=request.email,
        contact_email=request.email,
        trust_answer_hash=payload["trust_answer_hash"],
        created_at=now,
        **{field: payload[field] for field in PROFILE_FIELDS},
    )
    passwords.apply_hashed_password(space, payload["password_hash"], now)
    space.save()
    passwords.remember(space, payload["password_hash"], now)
    return space


def address_lines(space: Space) -> list[str]:
    """Return the postal address as printed: street, complement, postcode and city, country."""
    street = " ".join(part for part in (space.street_number, space.street_type, space.street_name) if part)
    town = " ".join(part for part in (space.postal_code, space.city) if part)
    return [line for line in (street, space.address_complement, town, space.country) if line]


def company_display_name(space: Space) -> str | None:
    """Return the raison sociale from the register, for a French company only (R-SIREN-2)."""
    return None if space.foreign_company else company_name(space.company_identifier)


def recap_data(space: Space, now: datetime) -> RecapData:
    """Return what the récapitulatif prints: never the trust answer (R-TRUST-2, R-PDF-1)."""
    return RecapData(
        civility=space.get_civility_display(),
        last_name=space.last_name,
        first_name=space.first_name,
        subscriber_number=space.subscriber_number,
        phone=format_phone(space.phone),
        login_email=space.login_email or "",
        address_lines=address_lines(space),
        foreign_company=space.foreign_company,
        company_identifier=(
            space.company_identifier if space.foreign_company else format_siren(space.company_identifier)
        ),
        company_name=company_display_name(space),
        trust_question=space.trust_question,
        created_at=now,
    )
