"""The rules every logged-in request obeys, enforced in one place (SPEC §4, R-EXP-3)."""

from django.conf import settings
from django.contrib.auth import logout

from core import clock
from core import audit
from accounts.services import passwords
from accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY
from accounts.events import Kind as Event

REFRESH_EVERY = 60  # seconds: the idle clock is exact to a minute, and saves stay rare


class SessionLifetimeMiddleware:
    """End a logged-in session when it must end, before any view of the space runs:

    - 30 minutes idle, or 12 hours after login (SPEC §4). The session store also expires
      idle sessions by itself (SESSION_COOKIE_AGE, slid each time this middleware
      refreshes the session); checking here too makes both limits hold on any store, by
      the same clock, whatever a cache's own expiry does;
    - an expired password (R-EXP-3): an expired space reaches nothing of the space, by any
      path, until renewed — whichever view it asks for.

    A session bound to old credentials (password, login email or access mode changed
    elsewhere) never gets here logged in: Django's get_user() compares the session's
    auth hash with Space.get_session_auth_hash() and logs it out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        space = request.user
        now = clock.now().timestamp()
        started = request.session.get(AUTH_AT_KEY)
        seen = request.session.get(SEEN_AT_KEY, started)
        if (
            started is None
            or now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            or now - seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
        ):
            audit.record(request, Event.SESSION_EXPIRED, space=space)
            logout(request)
        elif passwords.is_expired(space):
            audit.record(request, Event.SESSION_BLOCKED, space=space)
            logout(request)
        elif now - seen >= REFRESH_EVERY and not getattr(view_func, "reads_session_only", False):
            request.session[SEEN_AT_KEY] = now  # modified: saved, expiry and cookie slide
        return None
