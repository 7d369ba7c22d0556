"""Who may reach a view, in the manner of Django's ``login_required``: the rule every app shares.

Every logged-in request has already passed the space's session rules (idle and absolute
timeouts, an expired password: accounts' SessionLifetimeMiddleware) before any view runs.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import redirect


def space_required(view):
    """Let in a logged-in space, else send to the login page (settings.LOGIN_URL).

    An expired one was logged out before any view ran (R-EXP-3), so it arrives here anonymous.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    return wrapper
