from core import contracts
from registre.interfaces import CompanyRecord, CompanyRegister


def company_name(siren: str) -> str | None:
    """Return the raison sociale of siren, or None when unknown or not diffusible (R-SIREN-2),
    from the register settings.COMPANY_REGISTER names."""
    return contracts.load("COMPANY_REGISTER", CompanyRegister).company_name(siren)


def company(siren: str) -> CompanyRecord | None:
    """Return what the register knows of siren (name, siège postal lines, active), or None
    when it does not know the company (R-ADH-1: no record or no ``siege_lines``, no adhesion;
    R-ADH-2: the letter goes to ``siege_lines``)."""
    return contracts.load("COMPANY_REGISTER", CompanyRegister).company(siren)
