"""The one decorator of every dossier view (R-HAB-2): it asks the policy, on each request."""

from functools import wraps

from django.http import Http404

from core.decorators import space_required
from habilitations import policy


def dossier_view(view):
    """Call view(request, access, **kwargs) for the dossier of the URL's ``siren``, or answer 404.

    ``access`` (policy.Access) is read from the database now; a dossier the space holds
    nothing on is not found, exactly as one that does not exist (no oracle on SIRENs).
    """

    @wraps(view)
    @space_required
    def wrapper(request, siren: str, **kwargs):
        allowed = policy.access(request.user, siren)
        if allowed is None:
            raise Http404()
        return view(request, allowed, **kwargs)

    return wrapper
