"""Headers of every dynamic response (SPEC §4): no caching, no powerful browser features,
no framing — error pages included.

Placed right after whitenoise in MIDDLEWARE: whitenoise answers the static files itself
(with its own long-lived Cache-Control) and they never reach this middleware; every other
response does, including the error responses made from an exception that a later
middleware raised (a 400 for a bad Host header is raised by CommonMiddleware: Django's
XFrameOptionsMiddleware, last in the list, never sees it).
"""

from django.conf import settings

# Every response made by a view may hold personal data (space, wizard, activation, the
# recap PDF): neither the browser nor a shared cache may keep a copy.
CACHE_CONTROL = "no-store"

# Features this service never uses, switched off for the page and any frame. Only feature
# names Chromium recognises: an unknown one is reported as a console error.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:  # a view that chose its own caching keeps it
            response["Cache-Control"] = CACHE_CONTROL
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response

