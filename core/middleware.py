"""French error pages where Django would not draw them.

405: Django's `require_http_methods` answers 405 with an empty body, which a browser replaces by
its own page, in English ("HTTP ERROR 405"): a person who opens /deconnexion from the history,
or a bookmark, would meet it. No handler405 exists, hence MethodNotAllowedPageMiddleware.
400/404/500 under DEBUG: DebugErrorPagesMiddleware.
"""

from django.conf import settings
from django.core.exceptions import BadRequest, MiddlewareNotUsed, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.log import log_response

from core.client import direct_peer_is_trusted
from core.views.errors import bad_request, method_not_allowed, not_found, server_error


class MethodNotAllowedPageMiddleware:
    """Give a 405 with an empty body the French page (and keep its Allow header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            page = method_not_allowed(request)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]  # RFC 9110: a 405 lists the methods accepted
            return page
        return response


class DebugErrorPagesMiddleware:
    """Under DEBUG (`make run`), answer 400, 404 and 500 with the French pages production shows.

    Django draws its technical pages (in English, with the settings and the URL list) for
    these errors whenever DEBUG is on, and a person trying the demo met them. The trace of a
    500 still goes to the console, logged as Django logs it. DEBUG_TECHNICAL_PAGES=1 brings
    Django's pages back for a developer; outside DEBUG this middleware is not even loaded.
    """

    def __init__(self, get_response):
        if not settings.DEBUG or settings.DEBUG_TECHNICAL_PAGES:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return not_found(request)  # no URL matched: Django drew its technical 404 page
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return not_found(request, exception)
        if isinstance(exception, PermissionDenied | MultiPartParserError):
            return None  # Django answers these with the French handlers, DEBUG or not
        if isinstance(exception, BadRequest | SuspiciousOperation):
            page = bad_request(request, exception)
            log_response(str(exception), request=request, response=page, exception=exception, level="warning")
            return page
        page = server_error(request)
        log_response("Internal Server Error: %s", request.path, request=request, response=page, exception=exception)
        return page


class ForwardedProtoMiddleware:
    """Believe X-Forwarded-Proto only from TRUSTED_PROXIES, as X-Forwarded-For (core.client).

    Django's SECURE_PROXY_SSL_HEADER (set when TRUSTED_PROXIES is) reads the header from any
    peer: a local process talking to a node directly could claim https, and Django would then
    answer as if the connection were encrypted. First in MIDDLEWARE, this drops the header
    unless the connection comes straight from one of our proxies, so that is_secure() (HSTS,
    CSRF's strict Referer check, secure redirects) means what nginx saw.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_FORWARDED_PROTO" in request.META and not direct_peer_is_trusted(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)
