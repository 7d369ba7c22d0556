"""Certificate spaces (J7): read the client certificate nginx forwards, verify it, find its space.

TLS ends at nginx, which asks for a client certificate on the certificate path only and
forwards it URL-escaped (``$ssl_client_escaped_cert``) in ``settings.CLIENT_CERT_HEADER``.
nginx's own check is not enough to open a space: the app verifies again, itself, the chain
to ``CLIENT_CA_FILE`` (cryptography's X.509 verification API), the validity dates on the
product's clock (core.clock, which tests move), and that the SHA-256 fingerprint belongs
to a known *certificate* space. Every failure is a typed error; the flow turns all of them
into one refusal page.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store, VerificationError
from django.conf import settings

from accounts.interfaces import CertificateVerifier
from accounts.models import AccessMode, Certificate, Space
from core import contracts

# An escaped PEM certificate is a few KiB; anything far larger is refused before parsing.
HEADER_MAX_CHARS = 32 * 1024


class CertificateError(Exception):
    """A certificate that opens no space. ``reason`` goes to the audit log, never to the page."""

    reason = "invalid"


class MissingCertificate(CertificateError):
    reason = "missing"


class MalformedCertificate(CertificateError):
    reason = "malformed"


class ExpiredCertificate(CertificateError):
    reason = "expired"


class NotYetValidCertificate(CertificateError):
    reason = "not_yet_valid"


class UntrustedCertificate(CertificateError):
    """Not issued by the configured CA (wrong CA, self-signed, or no CA configured)."""

    reason = "untrusted"


class SelfSignedCertificate(UntrustedCertificate):
    reason = "self_signed"


class UnknownCertificate(CertificateError):
    reason = "unknown"


class OptedOutSpace(CertificateError):
    """The certificate's space now opens with email and password (J8): irrevocable."""

    reason = "opted_out"


@dataclass(frozen=True)
class Description:
    """What the database keeps of a certificate (never the certificate itself)."""

    fingerprint: str
    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime


def fingerprint(cert: x509.Certificate) -> str:
    """Return the lowercase hex SHA-256 fingerprint of cert's DER encoding."""
    return cert.fingerprint(hashes.SHA256()).hex()


def describe(cert: x509.Certificate) -> Description:
    """Return the stored description of cert; raise MalformedCertificate if a field is unreadable."""
    try:
        return Description(
            fingerprint=fingerprint(cert),
            subject=cert.subject.rfc4514_string()[:500],
            issuer=cert.issuer.rfc4514_string()[:500],
            serial=format(cert.serial_number, "x")[:100],
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
        )
    except ValueError as error:  # a name or date the parser only decodes on access
        raise MalformedCertificate() from error


def attach(space: Space, cert: x509.Certificate) -> Certificate:
    """Record cert as the certificate that opens space (J7): its fingerprint and what it says."""
    description = describe(cert)
    return Certificate.objects.create(
        space=space,
        fingerprint=description.fingerprint,
        subject=description.subject,
        issuer=description.issuer,
        serial=description.serial,
        not_before=description.not_before,
        not_after=description.not_after,
    )


def load_pem(pem: bytes | str) -> x509.Certificate:
    """Return the one certificate of a PEM text, or raise MalformedCertificate."""
    data = pem.encode("utf-8", "replace") if isinstance(pem, str) else pem
    if not data.strip() or len(data) > HEADER_MAX_CHARS:
        raise MalformedCertificate()
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError as error:
        raise MalformedCertificate() from error
    describe(cert)  # every field readable, or malformed now rather than later
    return cert


def parse_header(value: str) -> x509.Certificate:
    """Return the certificate of a CLIENT_CERT_HEADER value (URL-escaped PEM, as nginx sends it)."""
    if not value or not value.strip():
        raise MissingCertificate()
    if len(value) > HEADER_MAX_CHARS:
        raise MalformedCertificate()
    return load_pem(unquote(value, errors="replace"))


def check_dates(cert: x509.Certificate, now: datetime) -> None:
    """Raise NotYetValidCertificate or ExpiredCertificate against the product's clock."""
    if now < cert.not_valid_before_utc:
        raise NotYetValidCertificate()
    if now > cert.not_valid_after_utc:
        raise ExpiredCertificate()


# The Web PKI profile, except that a client certificate need not name a host or an address:
# legacy client certificates identify a person in their subject and carry no SAN.
EE_POLICY = ExtensionPolicy.webpki_defaults_ee().may_be_present(
    x509.SubjectAlternativeName, Criticality.AGNOSTIC, None
)


@lru_cache(maxsize=4)
def _store(path: str, mtime: float) -> Store:
    """Return the trust store of the CA file at path, parsed again only when the file changes."""
    try:
        return Store(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    except ValueError as error:
        # A misconfigured CA file must stop the server's checks loudly, not refuse quietly.
        raise ValueError("CLIENT_CA_FILE ne contient aucun certificat PEM lisible") from error


class CaFileVerifier:
    """Verify against the CA certificates of settings.CLIENT_CA_FILE (accounts.interfaces).

    Without CLIENT_CA_FILE no certificate is trusted: certificate login is off, every
    certificate refused as untrusted (after the dates, so the log tells an expired one).
    Development uses it too, with the demo CA that ``manage.py load_demo`` writes.
    """

    def __init__(self):
        path = settings.CLIENT_CA_FILE
        self.store = _store(path, Path(path).stat().st_mtime) if path else None

    def verify(self, cert: x509.Certificate, *, now: datetime) -> None:
        check_dates(cert, now)
        if self.store is None:
            raise UntrustedCertificate()
        verifier = (
            PolicyBuilder()
            .store(self.store)
            .time(now)
            .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=EE_POLICY)
            .build_client_verifier()
        )
        try:
            verifier.verify(cert, [])
        except VerificationError as error:
            if cert.issuer == cert.subject:
                raise SelfSignedCertificate() from error
            raise UntrustedCertificate() from error


def default_verifier() -> CertificateVerifier:
    """Return the verifier settings.CERTIFICATE_VERIFIER names."""
    return contracts.load("CERTIFICATE_VERIFIER", CertificateVerifier)


def space_of(cert: x509.Certificate) -> Space:
    """Return the certificate space cert opens, or raise UnknownCertificate / OptedOutSpace."""
    known = Certificate.objects.select_related("space").filter(fingerprint=fingerprint(cert)).first()
    if known is None or not known.space.is_active:
        raise UnknownCertificate()
    if known.space.access_mode != AccessMode.CERTIFICATE:
        raise OptedOutSpace()
    return known.space


def authenticate(header_value: str, *, now: datetime, verifier: CertificateVerifier | None = None) -> Space:
    """Return the space a forwarded certificate opens, or raise the CertificateError that says why."""
    cert = parse_header(header_value)
    (verifier or default_verifier()).verify(cert, now=now)
    return space_of(cert)
