"""The gunicorn of bin/serve believes X-Forwarded-Proto only from
TRUSTED_PROXIES; with none set it trusts no peer, 127.0.0.1 included.

Before, bin/serve passed --forwarded-allow-ips "${TRUSTED_PROXIES:-127.0.0.1}": any local
process could make Django see https. This test starts the real gunicorn with the very
settings file bin/serve uses (bin/gunicorn.conf.py), once per case, side by side."""

import http.client
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

# case: (TRUSTED_PROXIES or None for unset, other environment, scheme the application sees
# for a request from 127.0.0.1 carrying X-Forwarded-Proto: https)
CASES = {
    "unset": (None, {}, "http"),
    "empty": ("", {}, "http"),
    "only separators": (" , ", {}, "http"),
    "gunicorn's own FORWARDED_ALLOW_IPS does not widen it": (None, {"FORWARDED_ALLOW_IPS": "*"}, "http"),
    "another proxy": ("10.0.0.1", {}, "http"),
    "the local proxy": ("127.0.0.1", {}, "https"),
    "networks, host bits tolerated as in client_ip": ("127.0.0.5/8, 10.0.0.0/8", {}, "https"),
}


_GIVEN: set[int] = set()


def distinct_port() -> int:
    """A free port no server of this test was given: the OS may hand a just-probed port out
    again, and two gunicorns on one port (the second retries its bind) would answer each
    other's requests with the wrong settings."""
    port = free_port()
    while port in _GIVEN:
        port = free_port()
    _GIVEN.add(port)
    return port


def start(trusted: str | None, extra: dict, log) -> tuple[subprocess.Popen, int]:
    port = distinct_port()
    environment = {k: v for k, v in os.environ.items() if k not in {"TRUSTED_PROXIES", "FORWARDED_ALLOW_IPS"}}
    environment.update(PORT=str(port), WEB_WORKERS="1", **extra)
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
    return server, port


def scheme_seen(server: subprocess.Popen, port: int, log) -> str:
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


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # the answer is in; only the stop was slow
        server.wait(timeout=15)


def test_x_forwarded_proto_is_believed_only_from_trusted_proxies():
    with tempfile.TemporaryDirectory() as logs:
        servers = {}
        try:
            for name, (trusted, extra, _) in CASES.items():
                log = open(Path(logs) / f"{len(servers)}.log", "w+")
                servers[name] = (*start(trusted, extra, log), log)
            seen = {name: scheme_seen(*servers[name]) for name in CASES}
        finally:
            for server, _, log in servers.values():
                stop(server)
                log.close()
    assert seen == {name: expected for name, (_, _, expected) in CASES.items()}


# --- Ctrl-C stops everything bin/serve started (issue 13 item 9) ---


def group_members(pgid: int) -> list[str]:
    """Return the command lines of the live processes of process group pgid (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:  # ended meanwhile
            continue
        state, _, group = stat.rsplit(")", 1)[1].split()[:3]
        if int(group) == pgid and state != "Z":
            members.append(command)
    return members


def test_ctrl_c_stops_every_process_that_bin_serve_started(tmp_path):
    """Before, `manage.py periodic` outlived Ctrl-C in its ten-minute sleep: a background job of
    a script ignores SIGINT, and bin/serve's SIGTERM only set a flag that time.sleep() ignores."""
    port = free_port()
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    # An empty database: the worker and the periodic tasks log their errors and pause, as
    # they do when the database is away; the web server answers.
    environment.update(PORT=str(port), DEBUG="1", VAR_DIR=str(tmp_path), WEB_WORKERS="1")
    with open(tmp_path / "serve.log", "w+") as log:
        serve = subprocess.Popen(
            [str(ROOT / "bin" / "serve")], cwd=ROOT, env=environment, stdout=log, stderr=log, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 60
            while not ("Tâches périodiques" in Path(log.name).read_text() and len(group_members(serve.pid)) >= 6):
                assert serve.poll() is None and time.monotonic() < deadline, Path(log.name).read_text()
                time.sleep(0.1)  # waiting for the processes to start, not for a result
            started = group_members(serve.pid)
            assert any("manage.py periodic" in command for command in started), started
            assert any("manage.py mail_worker" in command for command in started), started
            assert any("manage.py letter_worker" in command for command in started), started
            os.killpg(serve.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
            deadline = time.monotonic() + 15
            while group_members(serve.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            left = group_members(serve.pid)
        finally:
            if group_members(serve.pid):
                os.killpg(serve.pid, signal.SIGKILL)
            serve.wait(timeout=15)
    assert left == [], left
