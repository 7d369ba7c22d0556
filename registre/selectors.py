from core import contracts
from registre.interfaces import CompanyRegister


def company_name(siren: str) -> str | None:
    """Return the raison sociale of siren, or None when unknown or not diffusible (R-SIREN-2),
    from the register settings.COMPANY_REGISTER names."""
    return contracts.load("COMPANY_REGISTER", CompanyRegister).company_name(siren)
