"""The contracts of the accounts app's swappable parts (core.contracts)."""

from datetime import datetime
from typing import Protocol, runtime_checkable

from cryptography import x509


@runtime_checkable
class CertificateVerifier(Protocol):
    """Whether a client certificate may be believed (J7): the chain and the dates, nothing
    about spaces. ``settings.CERTIFICATE_VERIFIER`` names the implementation.

    ``verify(cert, now=...)`` returns if cert is valid at now — the product's clock, which
    tests move, never the system's — and chains to a trusted CA; otherwise it raises the
    accounts.services.certificates.CertificateError that says why (ExpiredCertificate,
    NotYetValidCertificate, UntrustedCertificate, SelfSignedCertificate...), whose reason
    the audit log records. It must not raise anything else for a certificate a client sent.
    """

    def verify(self, cert: x509.Certificate, *, now: datetime) -> None:
        """Return if cert is valid at now and chains to a trusted CA; else raise CertificateError."""
