"""Give the browser its captcha binding (antirobot.services.COOKIE) when a page drew its first key."""

from django.conf import settings

from antirobot import services


class BindingCookieMiddleware:
    """Set the binding cookie on a response whose request drew a binding for the client.

    A key is signed for the client's binding (antirobot.services): a browser without one
    gets it with the page that shows its first image, so that the image, "Plus de temps" and
    the check find it. Every other response is left as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = getattr(request, services.NEW_BINDING, None)
        if value is not None:
            # A browser-session cookie: it outlives every key (100 minutes at most), is sent
            # with the form's POST (Lax) and is never readable by a script of the page.
            response.set_cookie(
                services.COOKIE,
                value,
                path="/",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
