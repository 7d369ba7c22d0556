"""J15 "Modifier mes coordonnées" (R-COORD-1): behind the current password, then "Enregistrement effectué."."""

from accounts.events import Kind as Event
from accounts.flows.credentials import CurrentPasswordRefused, check_current_password
from accounts.models import Space
from accounts.services import coordinates
from core import clock

__all__ = ["CurrentPasswordRefused", "change_coordinates", "done_of"]

DONE_KEY = "espace_coordinates_done"


def change_coordinates(request, space: Space, *, current_password: str, values: dict) -> list[str]:
    """Apply values to the logged-in space once its current password is proven; return what changed.

    Raise CurrentPasswordRefused (wrong, or throttled as the login is: R-THROTTLE-1); then
    nothing is written. The coordinates are no credential: the session goes on.
    """
    check_current_password(request, space, current_password, refused=Event.COORDINATES_REFUSED)
    changed = coordinates.change(space=space, values=values, now=clock.now(), request=request)
    request.session[DONE_KEY] = {"changes": changed}
    return changed


def done_of(session) -> dict | None:
    """Return what the last change of this session did, for the confirmation page."""
    return session.get(DONE_KEY)
