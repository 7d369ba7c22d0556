"""J12 "Désigner un administrateur suppléant" (R-SUP-1): the look-up, then the confirmation.

The space found by its subscriber number and last name (sharing.find_space, throttled) is
kept between the two steps in the server-side session, by its primary key only, with the
dossier it was looked up for and when (choice: the confirmation then needs no second
look-up, so it is not counted twice by the throttle, and nothing the browser sends can
swap the space confirmed for another: the key is never in the page). It is good for
FOUND_TTL, for that dossier only, and used once; the designation itself checks everything
again (the space still active, not already a suppléant).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model

from core import clock
from habilitations.models import Suppleance
from habilitations.services import sharing, suppleants
from habilitations.services.suppleants import SuppleanceRefused

FOUND_KEY = "habilitations_suppleant_found"
FOUND_TTL = timedelta(minutes=15)


def look_up(request, access, *, number: str, last_name: str):
    """Return the space of number and last_name, remembered for the confirmation of a designation
    on access's dossier; raise sharing.DesignationRefused, or SuppleanceRefused when it is a
    live suppléant of the titulaire there already."""
    found = sharing.find_space(request, actor=request.user, number=number, last_name=last_name)
    if suppleants.is_suppleant(access, found):  # said now rather than after "Confirmer"
        raise SuppleanceRefused("suppleant_already")
    request.session[FOUND_KEY] = {"siren": access.dossier.siren, "space": found.pk, "at": clock.now().timestamp()}
    return found


def remembered(request, access):
    """Return the space found for access's dossier in the last FOUND_TTL, still active, or None."""
    kept = request.session.get(FOUND_KEY)
    if not isinstance(kept, dict) or kept.get("siren") != access.dossier.siren:
        return None
    if clock.now().timestamp() - kept.get("at", 0) > FOUND_TTL.total_seconds():
        return None
    return get_user_model().objects.filter(pk=kept.get("space"), is_active=True).first()


def confirm(request, access) -> Suppleance:
    """Designate the space remembered for access's dossier (once); raise SuppleanceRefused."""
    found = remembered(request, access)
    if found is None:
        request.session.pop(FOUND_KEY, None)
        raise SuppleanceRefused("suppleant_expired")
    made = suppleants.designate(access=access, suppleant=found, now=clock.now(), request=request)
    request.session.pop(FOUND_KEY, None)
    return made


def forget(request) -> None:
    request.session.pop(FOUND_KEY, None)
