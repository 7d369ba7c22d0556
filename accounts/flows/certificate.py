"""J7 certificate login: believe the forwarded certificate only from our proxy, verify it, open.

nginx ends TLS, asks the browser for a client certificate on the certificate path only, and
forwards it in ``settings.CLIENT_CERT_HEADER``. Anyone can send that header straight to the
app, so it is believed only when the direct peer is one of ``TRUSTED_PROXIES`` (the rule
core.client applies to X-Forwarded-For). Then the app verifies the certificate
itself (accounts.services.certificates) and opens the session the way every login does
(``login.open_session``). Every refusal is one page and one audit event with its reason.
"""

from django.conf import settings

from core import clock
from accounts.flows.login import open_session
from accounts.models import Space
from core import audit
from accounts.services import certificates
from core.client import direct_peer_is_trusted
from accounts.events import Kind as Event


class UntrustedPeer(certificates.CertificateError):
    """The header came from an address that is not one of our proxies: a forgery or no nginx."""

    reason = "untrusted_peer"


def header_meta_key() -> str:
    """Return the request.META key of CLIENT_CERT_HEADER (X-SSL-Client-Cert → HTTP_X_SSL_CLIENT_CERT)."""
    return "HTTP_" + settings.CLIENT_CERT_HEADER.upper().replace("-", "_")


def forwarded_certificate(request) -> str:
    """Return the header's value, or raise UntrustedPeer when the direct peer is not our proxy."""
    if not direct_peer_is_trusted(request):
        raise UntrustedPeer()
    return request.META.get(header_meta_key(), "")


def log_in(request) -> Space:
    """Open a session for the certificate space of the forwarded certificate, or raise CertificateError."""
    try:
        space = certificates.authenticate(forwarded_certificate(request), now=clock.now())
    except certificates.CertificateError as error:
        audit.record(request, Event.CERTIFICATE_REFUSED, reason=error.reason)
        raise
    # Password stages (R-EXP-*) do not apply: a certificate space has no password.
    open_session(request, space, method="certificate")
    return space
