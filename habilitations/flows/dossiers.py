"""The current dossier of a session and the home's three screens (R-HOME-1).

The session remembers the current dossier by its SIREN only (CURRENT_DOSSIER_KEY); what the
space may do on it is asked of habilitations.policy at every request (R-HAB-2, never from
the session's memory): a dossier no longer held is dropped from the session, silently, and
the home shows the screen of what the space holds now.
"""

import re
from dataclasses import dataclass, field

from catalogue.selectors import FamilyServices, by_family
from habilitations import policy, selectors

CURRENT_DOSSIER_KEY = "habilitations_current_siren"
# What a posted SIREN must look like before any query (a NUL byte never reaches the database).
SIREN_SHAPE = re.compile(r"[0-9]{9}")


@dataclass(frozen=True)
class Home:
    """What the home shows (guide 001's screens 1 to 3).

    ``several``: the space holds more than one dossier ("Mes dossiers"); ``current``: the
    dossier shown as "Dossier courant" (the only one, or the one chosen), with ``families``,
    the services held on it by family in the catalogue's order. Neither: the welcome.
    """

    several: bool = False
    current: policy.Access | None = None
    families: list[FamilyServices] = field(default_factory=list)

    @property
    def welcome(self) -> bool:
        return self.current is None and not self.several


def current(request) -> policy.Access | None:
    """Return the access of the session's current dossier, asked of the policy now, or None.

    A SIREN the space no longer holds anything on is dropped from the session.
    """
    siren = request.session.get(CURRENT_DOSSIER_KEY)
    if siren is None:
        return None
    found = policy.access(request.user, siren)
    if found is None:
        del request.session[CURRENT_DOSSIER_KEY]
    return found


def choose(request, siren: str) -> policy.Access | None:
    """Make the dossier of siren the current one for the session ("Choisir ce dossier") and
    return its access; None, the session untouched, if the space holds nothing on it now."""
    found = policy.access(request.user, siren) if SIREN_SHAPE.fullmatch(siren) else None
    if found is not None:
        request.session[CURRENT_DOSSIER_KEY] = found.dossier.siren
    return found


def current_siren(request) -> str | None:
    """Return the SIREN the session names as current, unchecked: for marking a row of a list
    the policy has already filtered, never for allowing anything."""
    return request.session.get(CURRENT_DOSSIER_KEY)


def home(request) -> Home:
    """Return the home's screen for the space now: a fixed number of queries, whatever it holds.

    One query tells none, one or several dossiers apart; with one, it is the current dossier
    (a choice made when there were several is dropped); with several, the session's choice
    if the space still holds it.
    """
    sirens = selectors.first_sirens(request.user, limit=2)
    if len(sirens) > 1:
        shown = current(request)
    else:
        if request.session.get(CURRENT_DOSSIER_KEY) not in (None, *sirens):
            del request.session[CURRENT_DOSSIER_KEY]
        shown = policy.access(request.user, sirens[0]) if sirens else None
    if shown is None:
        return Home(several=len(sirens) > 1)
    return Home(several=len(sirens) > 1, current=shown, families=by_family(selectors.held_services(shown)))
