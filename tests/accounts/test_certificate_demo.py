"""J7 demo data: load_demo adds one certificate space and writes its PKI under var/demo/."""

import io

import pytest
from django.core.management import call_command

from core import clock
from accounts.management.commands import load_demo
from accounts.models import AccessMode, Certificate, Space
from accounts.services import certificates

pytestmark = pytest.mark.django_db


def test_j7_load_demo_makes_a_certificate_space_that_logs_in(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(load_demo, "DEMO_PKI", tmp_path / "demo")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    space = Space.objects.get(subscriber_number=load_demo.CERT_NUMBER)
    assert space.access_mode == AccessMode.CERTIFICATE and space.login_email is None
    files = {p.name for p in (tmp_path / "demo").iterdir()}
    assert files == {"ca.pem", "client.pem", "client-key.pem", "server.pem", "server-key.pem"}
    assert oct((tmp_path / "demo" / "client-key.pem").stat().st_mode & 0o777) == "0o600"
    assert "https://localhost:8443/certificat" in out.getvalue() and str(tmp_path / "demo" / "ca.pem") in out.getvalue()
    # The written client certificate opens the space against the written CA.
    settings.CLIENT_CA_FILE = str(tmp_path / "demo" / "ca.pem")
    pem = (tmp_path / "demo" / "client.pem").read_text()
    from urllib.parse import quote

    assert certificates.authenticate(quote(pem), now=clock.now()) == space

    # A second load keeps the space and its files; a lost file makes a new PKI for the same space.
    before = (tmp_path / "demo" / "client.pem").read_bytes()
    call_command("load_demo", stdout=io.StringIO())
    assert (tmp_path / "demo" / "client.pem").read_bytes() == before
    Certificate.objects.filter(space=space).update(fingerprint="0" * 64)  # the files no longer match
    call_command("load_demo", stdout=io.StringIO())
    assert (tmp_path / "demo" / "client.pem").read_bytes() != before
    before = (tmp_path / "demo" / "client.pem").read_bytes()
    (tmp_path / "demo" / "client.pem").unlink()
    call_command("load_demo", stdout=io.StringIO())
    assert Space.objects.filter(subscriber_number=load_demo.CERT_NUMBER).count() == 1
    assert Certificate.objects.filter(space=space).count() == 1
    assert (tmp_path / "demo" / "client.pem").read_bytes() != before
