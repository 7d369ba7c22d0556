"""Certificates the tests generate (never committed): a CA, clients, a space that holds one."""

from datetime import timedelta
from urllib.parse import quote

from core import clock
from accounts.models import AccessMode
from accounts.services import certificates, pki
from tests.factories import SpaceFactory


def client_cert(ca, name="Lila ROSEMONDE", *, days_before=1, days_after=365):
    now = clock.now()
    return pki.issue(ca, name, not_before=now - timedelta(days=days_before), not_after=now + timedelta(days=days_after))


def escaped(issued) -> str:
    """Return the header value nginx sends ($ssl_client_escaped_cert: URL-escaped PEM)."""
    return quote(issued.cert_pem.decode())


def certificate_space(issued, **fields):
    """Return a certificate space holding issued's certificate (as the import makes them)."""
    fields.setdefault("contact_email", "cabinet@exemple.fr")
    space = SpaceFactory(access_mode=AccessMode.CERTIFICATE, login_email=None, **fields)
    space.set_unusable_password()
    space.password_expires_on = None
    space.save()
    certificates.attach(space, issued.cert)
    return space
