"""J16 "Supprimer mon espace professionnel" (R-DEL-SPACE-1): refusal or warning, then password + captcha.

The warning page and the form are the space's; the confirmation that follows is shown to the
browser whose session just ended (the space no longer exists): a flag in its new, anonymous
session, nothing else.
"""

from django.contrib.auth import logout

from accounts.events import Kind as Event
from accounts.flows.credentials import CurrentPasswordRefused, check_current_password
from accounts.models import Space
from accounts.services import deletion
from accounts.services.deletion import StillTitulaire
from core import audit, clock
from habilitations import selectors as habilitations

__all__ = ["CurrentPasswordRefused", "StillTitulaire", "blocking", "delete_space", "was_deleted"]

DONE_KEY = "espace_deleted"


def blocking(space: Space) -> list:
    """Return the services that keep space from being deleted (R-SUB-1 first), or []."""
    return habilitations.titled_services(space)


def delete_space(request, space: Space, *, current_password: str) -> None:
    """Delete the logged-in space once its current password is proven, then end this session.

    Raise CurrentPasswordRefused (wrong, or throttled as the login is: R-THROTTLE-1) or
    StillTitulaire (a letter's code made it titulaire meanwhile); on either nothing is written.
    """
    check_current_password(request, space, current_password, refused=Event.DELETION_REFUSED)
    try:
        deletion.delete(space=space, now=clock.now(), request=request)
    except StillTitulaire:
        audit.record(request, Event.DELETION_REFUSED, space=space, email=space.login_email or "", reason="titulaire")
        raise
    # The other sessions fail their auth hash from now on; this one is flushed at once.
    logout(request)
    request.session[DONE_KEY] = True


def was_deleted(session) -> bool:
    """Return whether this browser's session just deleted its space (the confirmation page)."""
    return bool(session.get(DONE_KEY))
