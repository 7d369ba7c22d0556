"""The contract of the company register (R-SIREN-2, R-ADH-1, R-ADH-2)."""

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class CompanyRecord:
    """What the register holds for one SIREN.

    ``name`` is the diffusible raison sociale, or None (as ``company_name``). ``siege_lines``
    is the siège's postal address as La Poste prints it (NF Z10-011: at most 6 lines of at
    most 38 characters, capitals, the name first, "CODE_POSTAL COMMUNE" or the CEDEX form
    last, the country after it abroad), or () when the register knows no active, diffusible
    siège with a usable address: the company cannot be written to by post. ``active`` is
    False for a unit INSEE marks ceased.
    """

    siren: str
    name: str | None
    siege_lines: tuple[str, ...]
    active: bool

    @property
    def has_siege(self) -> bool:
        return bool(self.siege_lines)


@runtime_checkable
class CompanyRegister(Protocol):
    """Where a French company's raison sociale and siège come from;
    ``settings.COMPANY_REGISTER`` names the implementation.

    ``company_name(siren)`` takes a valid 9-digit SIREN (R-SIREN-1) and returns the name the
    register diffuses for it, or None when the company is unknown or its name may not be
    shown (INSEE's partial diffusion). Never a guess: None is printed "Non connue", with the
    advice to contact the company's tax office. It is read at each summary and recap, so it
    must answer fast and must not fail for an unknown SIREN.

    ``company(siren)`` returns the CompanyRecord of siren, or None when the register does not
    know the company. Adhesion (R-ADH-1) asks it whether the company exists and has a siège
    (``record.has_siege``); the letter (R-ADH-2) is addressed to ``record.siege_lines``. One
    query, and no failure for an unknown SIREN either.
    """

    def company_name(self, siren: str) -> str | None:
        """Return the diffusible name of siren, or None."""

    def company(self, siren: str) -> CompanyRecord | None:
        """Return the name, siège address and state of siren, or None when unknown."""
