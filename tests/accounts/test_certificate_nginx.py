"""J7 end to end: a real nginx (Debian's) doing mutual TLS in front of the app, a real client.

nginx runs as this user on loopback with a temporary configuration derived from
deploy/nginx.conf (only the ports, paths and upstream changed), in front of pytest-django's
live server. It reaches the app from 127.0.0.3 (proxy_bind), the only trusted proxy, so
that a client talking to the app directly from 127.0.0.1 is an untrusted peer. The client
is httpx with the client certificate (a Python ssl context).
"""

import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from core import clock
from core.models import AuditEvent
from accounts.services import pki
from tests.conftest import need
from tests.accounts.certs import certificate_space, client_cert, escaped, site_pki
from accounts.events import Kind as Event

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
DEPLOY_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"
PROXY_ADDRESS = "127.0.0.3"

pytestmark = pytest.mark.django_db(transaction=True)  # the live server's thread sees the test's rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def derived_config(tmp: Path, *, app_port: int, port: int) -> str:
    """Return deploy/nginx.conf with the test's ports and files; fail if a line moved."""
    text = DEPLOY_CONF.read_text()
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{port} ssl;"),
        ("/etc/ssl/pro.crt", str(tmp / "server.pem")),
        ("/etc/ssl/pro.key", str(tmp / "server-key.pem")),
        ("/etc/ssl/client-ca.pem", str(tmp / "ca.pem")),
    ):
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def pki_files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    return tmp, site_pki(tmp, "AC de test nginx")


def start_nginx(tmp: Path, app_port: int):
    """Run nginx in the foreground on a free port in front of app_port; return (process, port)."""
    need(NGINX is not None, "nginx absent (apt-get install nginx-light)")
    port = free_port()
    (tmp / "server.conf").write_text(derived_config(tmp, app_port=app_port, port=port))
    (tmp / "nginx.conf").write_text(
        f"""daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    proxy_bind {PROXY_ADDRESS};
    include {tmp}/server.conf;
}}
"""
    )
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
                pytest.fail("nginx n'a pas démarré : " + process.stderr.read().decode() + log)
            time.sleep(0.05)  # waiting for a real server to listen, not for the product's clock
    return process, port


@pytest.fixture
def nginx(live_server, pki_files, settings):
    tmp, ca = pki_files
    settings.TRUSTED_PROXIES = [PROXY_ADDRESS]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.CLIENT_CA_FILE = str(tmp / "ca.pem")
    settings.CLIENT_CERT_HEADER = "X-SSL-Client-Cert"
    process, port = start_nginx(tmp, int(live_server.url.rsplit(":", 1)[1]))
    yield f"https://localhost:{port}", tmp, ca
    process.terminate()
    process.wait(timeout=10)


def client(tmp: Path, issued=None, key_dir: Path | None = None) -> httpx.Client:
    context = ssl.create_default_context(cafile=str(tmp / "ca.pem"))
    if issued is not None:
        cert, key = key_dir / "client.pem", key_dir / "client-key.pem"
        cert.write_bytes(issued.cert_pem)
        key.write_bytes(issued.key_pem)
        context.load_cert_chain(str(cert), str(key))
    return httpx.Client(verify=context, timeout=20)


def last_refusal():
    return AuditEvent.objects.filter(kind=Event.CERTIFICATE_REFUSED).order_by("-id").first()


def test_j7_certificate_login_through_nginx(nginx, tmp_path):
    url, tmp, ca = nginx
    issued = client_cert(ca, days_after=200)
    space = certificate_space(issued)
    with client(tmp, issued, tmp_path) as browser:
        response = browser.get(url + "/certificat")
        assert response.status_code == 302 and response.headers["location"] == "/espace"
        home = browser.get(url + "/espace")
    assert home.status_code == 200
    until = clock.paris(issued.cert.not_valid_after_utc).strftime("%d/%m/%Y")
    assert f"Date de validité du certificat : {until}" in home.text
    assert space.subscriber_number in home.text
    event = AuditEvent.objects.get(kind=Event.LOGIN_OK)
    assert event.space == space and event.ip == "127.0.0.1"  # the client, through X-Forwarded-For


def test_j7_forged_header_sent_to_nginx_is_replaced(nginx, tmp_path):
    url, tmp, ca = nginx
    known = client_cert(ca)
    certificate_space(known)
    forged = {"X-SSL-Client-Cert": escaped(known), "X_SSL_Client_Cert": escaped(known)}
    with client(tmp) as anonymous:  # no certificate: nginx sends an empty header
        response = anonymous.get(url + "/certificat", headers=forged)
    assert response.status_code == 403 and "Accès avec certificat refusé" in response.text
    assert last_refusal().detail == {"reason": "missing"}
    other = client_cert(ca, "Quelqu'un d'autre")  # a real certificate of the CA, not the forged one
    with client(tmp, other, tmp_path) as someone:
        response = someone.get(url + "/certificat", headers=forged)
    assert response.status_code == 403 and last_refusal().detail == {"reason": "unknown"}
    assert not AuditEvent.objects.filter(kind=Event.LOGIN_OK).exists()


def test_j7_forged_header_straight_to_the_app_is_refused(nginx, live_server):
    _, _, ca = nginx
    known = client_cert(ca)
    certificate_space(known)
    response = httpx.get(live_server.url + "/certificat", headers={"X-SSL-Client-Cert": escaped(known)})
    assert response.status_code == 403
    assert last_refusal().detail == {"reason": "untrusted_peer"}


def test_j7_certificate_nginx_refuses_gets_the_app_refusal_page(nginx, tmp_path):
    url, tmp, _ = nginx
    stranger = client_cert(pki.make_ca("Autre AC", now=clock.now()))
    certificate_space(stranger)
    with client(tmp, stranger, tmp_path) as browser:
        response = browser.get(url + "/certificat")
    assert response.status_code == 403 and "Accès avec certificat refusé" in response.text
    assert last_refusal().detail == {"reason": "untrusted"}


class Recorder(BaseHTTPRequestHandler):
    """An upstream that records the headers nginx forwards (what the app would receive)."""

    seen: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        # As Django reads them: X_SSL_Client_Cert and X-SSL-Client-Cert are the same META key.
        values = [v for k, v in self.headers.items() if k.replace("_", "-").lower() == "x-ssl-client-cert"]
        Recorder.seen.append((self.path, values))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_j7_forged_header_is_stripped_on_every_path(pki_files, tmp_path):
    """What nginx forwards upstream, path by path: never the client's own header."""
    tmp, ca = pki_files
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    process, port = start_nginx(tmp, upstream.server_address[1])
    Recorder.seen = []
    forged = {"X-SSL-Client-Cert": "forge", "X_SSL_Client_Cert": "forge"}
    try:
        with client(tmp) as anonymous:
            for path in ("/", "/aide", "/espace", "/certificat", "/certificat/", "/CERTIFICAT", "/certificat?x=1"):
                assert anonymous.get(f"https://localhost:{port}{path}", headers=forged).status_code == 200
        with client(tmp, client_cert(ca), tmp_path) as holder:
            assert holder.get(f"https://localhost:{port}/aide", headers=forged).status_code == 200
            holder.get(f"https://localhost:{port}/certificat", headers=forged)
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.shutdown()
    by_path = dict(Recorder.seen[:-1])
    assert all(values == [] for values in by_path.values()), by_path  # nothing, not even on /certificat
    last_path, last_values = Recorder.seen[-1]
    assert last_path == "/certificat" and len(last_values) == 1 and last_values[0].startswith("-----BEGIN%20CERTIFICATE")


def test_j7_header_is_cleared_on_every_other_location():
    """Static check of deploy/nginx.conf: set from the handshake on /certificat, "" elsewhere."""
    text = DEPLOY_CONF.read_text()
    blocks = text.split("location ")[1:]
    assert blocks, "no location in deploy/nginx.conf"
    for block in blocks:
        if block.startswith("= /certificat "):
            assert "proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert;" in block
        else:
            assert 'proxy_set_header X-SSL-Client-Cert "";' in block
    assert "ssl_verify_client optional;" in text


def test_nginx_does_not_tell_its_version(nginx, tmp_path):
    """Issue 13 item 5: deploy/nginx.conf sends `server_tokens off`, on pages and on errors."""
    assert "\n    server_tokens off;\n" in DEPLOY_CONF.read_text()
    url, tmp, _ = nginx
    with client(tmp) as browser:
        for path in ("/aide", "/certificat"):
            assert browser.get(url + path).headers["server"] == "nginx"
        too_big = browser.post(url + "/", content=b"x" * (2 * 1024 * 1024))  # nginx's own 413 page
    assert too_big.status_code == 413 and too_big.headers["server"] == "nginx"
    assert "nginx/" not in too_big.text
