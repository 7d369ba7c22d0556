from django.conf import settings
from django.contrib.auth import logout

from espace import clock
from espace.services import audit

AUTH_AT_KEY = "espace_auth_at"


class SessionLifetimeMiddleware:
    """End a session 12 h after login whatever the activity (SPEC §4 absolute timeout).

    The 30-minute idle timeout is the session's own expiry, slid at every request
    (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST), enforced server-side by the
    session store.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(AUTH_AT_KEY)
            limit = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if started is None or clock.now().timestamp() - started > limit:
                audit.record(request, audit.Kind.SESSION_EXPIRED, space=request.user)
                logout(request)
        return self.get_response(request)
