"""Item 7 of issue 5: the gunicorn of bin/serve believes X-Forwarded-Proto only from
TRUSTED_PROXIES; with none set it trusts no peer, 127.0.0.1 included.

Before, bin/serve passed --forwarded-allow-ips "${TRUSTED_PROXIES:-127.0.0.1}": any local
process could make Django see https. These tests start the real gunicorn with the very
settings file bin/serve uses (bin/gunicorn.conf.py)."""

import http.client
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def scheme_seen(trusted: str | None, **extra_env) -> str:
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        return _scheme_seen(log, trusted, **extra_env)


def _scheme_seen(log, trusted: str | None, **extra_env) -> str:
    """Start gunicorn with bin/gunicorn.conf.py, send X-Forwarded-Proto: https from
    127.0.0.1 and return the scheme the application was given."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in {"TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS"}}
    environment.update(PORT=str(port), WEB_WORKERS="1", **extra_env)
    if trusted is not None:
        environment["TRUSTED_PROXIES"] = trusted
    server = subprocess.Popen(
        [str(GUNICORN), "-c", "bin/gunicorn.conf.py", "--graceful-timeout", "2", "tests.parts.scheme_app:application"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, Path(log.name).read_text()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                try:
                    connection.request("GET", "/", headers={"X-Forwarded-Proto": "https"})
                    return connection.getresponse().read().decode()
                finally:
                    connection.close()
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "gunicorn n'a pas démarré"
                time.sleep(0.05)  # waiting for the server to listen, not for a result
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the answer is in; only the stop was slow
            server.wait(timeout=15)


@pytest.mark.parametrize("trusted", [None, "", " , "])
def test_without_trusted_proxies_no_peer_is_believed(trusted):
    assert scheme_seen(trusted) == "http"


def test_gunicorn_s_own_environment_default_does_not_widen_it():
    assert scheme_seen(None, FORWARDED_ALLOW_IPS="*") == "http"


def test_a_trusted_proxy_is_believed():
    assert scheme_seen("127.0.0.1") == "https"
    assert scheme_seen("127.0.0.5/8, 10.0.0.0/8") == "https"  # host bits tolerated, as in client_ip


def test_another_proxy_is_not_believed():
    assert scheme_seen("10.0.0.1") == "http"
