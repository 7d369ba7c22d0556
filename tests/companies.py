"""Companies for SPEC §5's tests: a company register (registre.interfaces.CompanyRegister) of known rows.

Until registre's SIRENE table holds siège addresses (issue 14 item 1, another branch), the
tests of adhesion name their companies here; the ``companies`` fixture of
tests/habilitations/conftest.py points settings.COMPANY_REGISTER at this register.
"""

from dataclasses import dataclass, field

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


def add_company(siren: str, name: str, siege_lines: list[str] | None = None) -> Company:
    company = Company(siren=siren, name=name, siege_lines=list(siege_lines or []))
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

    def company(self, siren: str) -> Company | None:
        return KNOWN.get(siren)
