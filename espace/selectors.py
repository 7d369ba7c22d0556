"""Reads that pages and documents share (HackSoft: selectors beside services)."""

from collections.abc import Mapping
from dataclasses import dataclass

from espace.identity import format_phone, format_siren
from espace.models import Civility
from registre.selectors import company_name


@dataclass(frozen=True)
class ProfileDisplay:
    """A profile as the summary page (J1.5) and the récapitulatif (R-PDF-1) print it."""

    civility: str
    company_identifier: str  # "987 654 324" for a SIREN, as typed for a foreign identifier
    company_name: str | None  # from the register (R-SIREN-2); None when foreign or unknown
    phone: str  # national format in France (R-PHONE-1)
    address_lines: list[str]


def address_lines(profile: Mapping) -> list[str]:
    """Return the postal address on its lines: street, complement, postcode and city, country."""
    street = " ".join(profile.get(key) or "" for key in ("street_number", "street_type", "street_name")).split()
    town = " ".join(profile.get(key) or "" for key in ("postal_code", "city")).split()
    lines = [" ".join(street), profile.get("address_complement") or "", " ".join(town), profile.get("country") or ""]
    return [line for line in lines if line]


def profile_display(profile: Mapping) -> ProfileDisplay:
    """Return the display of a profile given as a mapping of Space field names (or a payload)."""
    foreign = bool(profile.get("foreign_company"))
    identifier = profile.get("company_identifier") or ""
    return ProfileDisplay(
        civility=Civility(profile["civility"]).label,
        company_identifier=identifier if foreign else format_siren(identifier),
        company_name=None if foreign else company_name(identifier),
        phone=format_phone(profile.get("phone") or ""),
        address_lines=address_lines(profile),
    )
