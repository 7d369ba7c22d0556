"""Headers of every dynamic response (SPEC §4): no caching, no powerful browser features,
no framing — error pages included.

Placed right after whitenoise in MIDDLEWARE: whitenoise answers the static files itself
(with its own long-lived Cache-Control) and they never reach this middleware; every other
response does, including the error responses made from an exception that a later
middleware raised (a 400 for a bad Host header is raised by CommonMiddleware: Django's
XFrameOptionsMiddleware, last in the list, never sees it).
"""

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
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


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the site's policy built once instead of per response.

    django-csp builds the header on every response (a copy of the policy and a join of its
    directives: on the path of every login, twice). A response that takes django-csp's own
    path keeps all its rules: one carrying a policy of its own (django-csp's decorators set
    `_csp_*` attributes on it), a request that drew a nonce, a report-only or URL-prefix
    setting, Django's debug 404 and 500 pages. Every other response gets the policy built
    from settings.CONTENT_SECURITY_POLICY, rebuilt when that setting is another object.
    """

    built = (None, "")

    def process_response(self, request, response):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        if (
            not policy
            or policy.get("EXCLUDE_URL_PREFIXES")
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or getattr(request, "_csp_nonce", None) is not None
            or any(name.startswith("_csp") for name in vars(response))
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        if self.built[0] is not policy:
            self.built = (policy, build_policy())
        if HEADER not in response:
            response[HEADER] = self.built[1]
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
