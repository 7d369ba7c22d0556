"""Issue 18 §1: `make cluster` (deploy/cluster.py) as an operator runs it, then Ctrl-C.

It migrates a database of its own, loads the demo data, starts two nodes, nginx and the
workers; both nodes answer through nginx; Ctrl-C (SIGINT) stops every process it started.
"""

import os
import signal
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from deploy.cluster import PYTHON, ROOT, find_nginx
from tests.cluster.conftest import node_redis_url
from tests.conftest import need, redis_url
from tests.smtp_server import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def fresh_database(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    data = connection.settings_dict
    return f"postgres://{data['USER'] or 'postgres'}@{data['HOST'] or '127.0.0.1'}:{data['PORT'] or 5432}/{name}"


def processes():
    """Yield (pid, parent, group, state) of every process (/proc/<pid>/stat)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            yield int(entry.name), int(fields[1]), int(fields[2]), fields[0]


def pids_of_group(pgid: int) -> list[int]:
    return [pid for pid, _, group, state in processes() if group == pgid and state != "Z"]


def groups_started_by(parent: int) -> list[int]:
    """The process groups the command started (each part leads its own)."""
    return sorted({group for _, ppid, group, _ in processes() if ppid == parent})


def test_make_cluster_serves_two_nodes_behind_nginx_and_ctrl_c_stops_everything(tmp_path):
    need(find_nginx() is not None, "nginx absent (apt-get install nginx-light)")
    need(bool(redis_url()), "Redis absent (REDIS_URL)")
    name = f"espace_cluster_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    database, port = fresh_database(name), free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "EMAIL_URL"}},
        "DATABASE_URL": database,
        "REDIS_URL": node_redis_url(),
        "CLUSTER_DIR": str(tmp_path),
        "NODES": "2",
    }
    command = subprocess.Popen(
        [str(PYTHON), "deploy/cluster.py", "--port", str(port)],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 180
        while not lines or lines[-1].strip() != "Ctrl-C arrête tout.":
            assert time.monotonic() < deadline and command.poll() is None, "".join(lines)
            lines.append(command.stdout.readline())
        output = "".join(lines)
        assert f"2 nœud(s) derrière nginx : https://localhost:{port}/" in output
        context = ssl.create_default_context(cafile=str(ROOT / "var" / "demo" / "ca.pem"))
        with httpx.Client(verify=context, timeout=30) as client:
            statuses = [client.get(f"https://localhost:{port}/").status_code for _ in range(4)]
        assert statuses == [200] * 4
        for node in ("node0", "node1"):  # round robin: each node served some of them
            assert '"GET / HTTP/1.0" 200' in (tmp_path / f"{node}.log").read_text()
        children = groups_started_by(command.pid)
        assert len(children) >= 6  # two gunicorn arbiters, nginx, three workers (and their own)
        command.send_signal(signal.SIGINT)  # Ctrl-C
        rest, _ = command.communicate(timeout=60)
    finally:
        if command.poll() is None:
            os.killpg(command.pid, signal.SIGKILL)
            command.wait()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert command.returncode == 0 and "Tout est arrêté." in rest
    assert [pid for group in children for pid in pids_of_group(group)] == []

