from core import contracts
from registre.interfaces import CompanyRegister


def company_name(siren: str) -> str | None:
    """Return the raison sociale of siren, or None when unknown or not diffusible (R-SIREN-2),
    from the register settings.COMPANY_REGISTER names."""
    return contracts.load("COMPANY_REGISTER", CompanyRegister).company_name(siren)


def company(siren: str):
    """Return the register's record of siren (name, siège address lines), or None (R-ADH-1)."""
    return contracts.load("COMPANY_REGISTER", CompanyRegister).company(siren)
