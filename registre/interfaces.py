"""The contract of the company register (R-SIREN-2)."""

from typing import Protocol, runtime_checkable


@runtime_checkable
class CompanyRegister(Protocol):
    """Where a French company's raison sociale comes from; ``settings.COMPANY_REGISTER``
    names the implementation.

    ``company_name(siren)`` takes a valid 9-digit SIREN (R-SIREN-1) and returns the name the
    register diffuses for it, or None when the company is unknown or its name may not be
    shown (INSEE's partial diffusion). Never a guess: None is printed "Non connue", with the
    advice to contact the company's tax office. It is read at each summary and recap, so it
    must answer fast and must not fail for an unknown SIREN.
    """

    def company_name(self, siren: str) -> str | None:
        """Return the diffusible name of siren, or None."""
