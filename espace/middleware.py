from django.conf import settings
from django.contrib.auth import logout

from espace import clock
from espace.services import audit

AUTH_AT_KEY = "espace_auth_at"
SEEN_AT_KEY = "espace_seen_at"
REFRESH_EVERY = 60  # seconds: the idle clock is exact to a minute, and saves stay rare


class SessionLifetimeMiddleware:
    """End a session after 30 minutes idle or 12 hours after login (SPEC §4).

    The session store also expires idle sessions by itself (SESSION_COOKIE_AGE, slid
    each time this middleware refreshes the session); checking here too makes both
    limits hold on any store, by the same clock, whatever a cache's own expiry does.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = clock.now().timestamp()
            started = request.session.get(AUTH_AT_KEY)
            seen = request.session.get(SEEN_AT_KEY, started)
            if (
                started is None
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
                or now - seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            ):
                audit.record(request, audit.Kind.SESSION_EXPIRED, space=request.user)
                logout(request)
            elif now - seen >= REFRESH_EVERY:
                request.session[SEEN_AT_KEY] = now  # modified: saved, expiry and cookie slide
        return self.get_response(request)
