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


def site_pki(folder, ca_name: str):
    """Write a test CA (ca.pem) and a certificate for "localhost" (server.pem, server-key.pem)
    in folder, as nginx's configuration names them; return the CA, to issue client certificates."""
    now = clock.now()
    ca = pki.make_ca(ca_name, now=now)
    server = pki.issue(
        ca, "localhost", not_before=now - timedelta(days=1), not_after=now + timedelta(days=30), server_name="localhost"
    )
    (folder / "ca.pem").write_bytes(ca.cert_pem)
    (folder / "server.pem").write_bytes(server.cert_pem)
    (folder / "server-key.pem").write_bytes(server.key_pem)
    return ca
