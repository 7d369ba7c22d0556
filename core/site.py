"""The site's address as emails name it ("connectez-vous sur le site …"); emails carry no link.

SITE_DOMAIN when it is set (production: README says to set it). Otherwise the address the
site is being served under: the host of the request that queues the email, when it is one
ALLOWED_HOSTS names explicitly, else the first host ALLOWED_HOSTS names. A wildcard entry
("*") never lets a request's Host header into an email: whoever asks "Mot de passe oublié"
for someone else's address would otherwise choose the site that person is told to visit.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port, validate_host

_request: ContextVar = ContextVar("espace_request", default=None)


def current_request():
    """Return the request being served, or None (a command, a worker, a test without a request).

    For what a service records of the request that caused it when no caller hands the
    request down: the address and browser of a change applied by the one activation entry.
    """
    return _request.get()


class CurrentRequestMiddleware:
    """Make the request being served known to site_domain() while it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _named_hosts() -> list[str]:
    """Return the entries of ALLOWED_HOSTS that name hosts (".example.fr" names example.fr)."""
    return [entry.lstrip(".") for entry in settings.ALLOWED_HOSTS if entry.lstrip(".") and entry != "*"]


def site_domain() -> str:
    """Return the site named in emails (see the module's docstring)."""
    if settings.SITE_DOMAIN:
        return settings.SITE_DOMAIN
    request = _request.get()
    if request is not None:
        try:
            host = request.get_host()  # "127.0.0.1:8000": the port is part of the address
        except DisallowedHost:
            host = ""
        domain, _ = split_domain_port(host)
        explicit = [entry for entry in settings.ALLOWED_HOSTS if entry != "*"]
        if domain and validate_host(domain, explicit):
            return host.lower()
    return next(iter(_named_hosts()), "localhost")
