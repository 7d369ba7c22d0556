"""Companies for SPEC §5's tests: a company register (registre.interfaces.CompanyRegister) of known rows.

The tests of dossiers and habilitations name their companies here, in a few words; the
``companies`` fixture of tests/habilitations/conftest.py points settings.COMPANY_REGISTER at
this register. The SIRENE table itself (registre.registers.SireneTable, its import and its
postal lines) is tested in tests/parts/test_registre*.py, and J9 once over it.
"""

from dataclasses import dataclass, field

from registre.interfaces import CompanyRecord

KNOWN: dict[str, "Company"] = {}

# Valid SIRENs (Luhn) for tests.
MARTIN = "732829320"
DUPONT = "552081317"
SANS_SIEGE = "542065479"


@dataclass(frozen=True)
class Company:
    siren: str
    name: str
    siege_lines: list[str] = field(default_factory=list)
    active: bool = True


def add_company(siren: str, name: str, siege_lines: list[str] | None = None, active: bool = True) -> Company:
    """Know siren as name, with these address lines under the name (none: no siège known)."""
    company = Company(siren=siren, name=name, siege_lines=list(siege_lines or []), active=active)
    KNOWN[siren] = company
    return company


def add_demo_companies() -> None:
    add_company(MARTIN, "SARL MARTIN DISTRIBUTION", ["12 RUE DE LA PAIX", "75002 PARIS"])
    add_company(DUPONT, "DUPONT ET FILS", ["ZONE ARTISANALE DES PINS", "3 AVENUE DES PINS", "33000 BORDEAUX"])
    add_company(SANS_SIEGE, "SOCIETE SANS SIEGE CONNU", [])


class KnownCompanies:
    """The register of KNOWN (settings.COMPANY_REGISTER in these tests)."""

    def company_name(self, siren: str) -> str | None:
        company = KNOWN.get(siren)
        return company.name if company else None

    def company(self, siren: str) -> CompanyRecord | None:
        """The contract's record: the siège lines begin with the name, as La Poste prints them."""
        known = KNOWN.get(siren)
        if known is None:
            return None
        lines = (known.name, *known.siege_lines) if known.siege_lines else ()
        return CompanyRecord(siren=siren, name=known.name, siege_lines=lines, active=known.active)
