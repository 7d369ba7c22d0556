"""Who may reach a view of the space, in the manner of Django's ``login_required``.

Every access rule a view declares lives here; the rules every logged-in request obeys
(session limits, an expired password) are SessionLifetimeMiddleware's, before any view.
"""

from functools import wraps

from django.shortcuts import redirect

from accounts.models import AccessMode
from core.decorators import space_required

__all__ = ["certificate_required", "reads_session_only", "space_required"]


def certificate_required(view):
    """Let in a logged-in certificate space only (J8): a password space has nothing to opt for."""

    @wraps(view)
    @space_required
    def wrapper(request, *args, **kwargs):
        if request.user.access_mode != AccessMode.CERTIFICATE:
            return redirect("espace:home")
        return view(request, *args, **kwargs)

    return wrapper


def reads_session_only(view):
    """Mark a view that must never write the session back (the live strength meter).

    Such a view runs beside the page that called it: saving the session it loaded at the
    start would overwrite what that page's own requests saved meanwhile (a stale write).
    SessionLifetimeMiddleware skips its idle refresh for it.
    """
    view.reads_session_only = True
    return view
