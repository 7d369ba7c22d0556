"""Issue 18 §4 "PostgreSQL connections cut mid-request (pg_terminate_backend)": a clean French
error page, nothing half-written, the node recovers without restart.

The real gunicorn of `make run` and the cluster (bin/gunicorn.conf.py: one worker here, its two
threads) serves the product on this test's PostgreSQL database. A J5 request ("Mot de passe
oublié ?") writes, in one transaction, the reset request, its email and its audit row; the
test holds a SHARE lock on the audit table, so the request waits at its last INSERT with the
other two rows written, while the other thread serves a health check (both threads then hold a
connection). Every backend of the database but the test's own is terminated. Then:
- the request's answer is the French 500 page (core.views.errors), no trace, no English;
- none of its rows exists: the transaction died with its connection;
- the next requests on the same node, on both threads, succeed: each thread's connection is
  checked before reuse (CONN_HEALTH_CHECKS, config.settings) and opened again.
"""

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from antirobot.testing import solve
from codes.models import PendingRequest
from core.models import AuditEvent
from mailer.models import OutboxEmail
from tests.conftest import need
from tests.factories import SpaceFactory
from tests.smtp_server import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
KEY_RE = re.compile(r'name="captcha_key" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENGLISH = ("Traceback", "Internal Server Error", "Server Error", "Exception", "psycopg")
EMAIL = "lila.rosemonde@exemple.fr"


def database_url() -> str:
    """The URL of this test's database (pytest-django's, not the one DATABASE_URL names)."""
    database = connection.settings_dict
    secret = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return f"postgres://{database['USER']}{secret}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def node(settings, tmp_path):
    """One app node: gunicorn with bin/gunicorn.conf.py, its stores in this test's database."""
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")
    port = free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}},
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,  # this test solves the node's captchas with it
        "DEBUG": "0",
        "VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "TRUSTED_PROXIES": "",
        "WHITENOISE_USE_FINDERS": "1",
        "PORT": str(port),
        "WEB_WORKERS": "1",
    }
    command = [str(GUNICORN), "-c", "bin/gunicorn.conf.py", "config.wsgi:application"]
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=output, stderr=output, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, log.read_text()
        try:
            httpx.get(f"{base}/sante", timeout=5)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "gunicorn n'a pas démarré"
            time.sleep(0.1)  # waiting for the server to listen, not for a result
    yield base, server
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def ask_reset(base: str, email: str, answer: list) -> None:
    """J5's first step as a browser does it (the page, then the form); the response in answer."""
    with httpx.Client(base_url=base, timeout=60) as browser:
        page = browser.get("/mot-de-passe-oublie").text
        key = KEY_RE.search(page).group(1)
        form = {"csrfmiddlewaretoken": CSRF_RE.search(page).group(1), "email": email}
        answer.append(browser.post("/mot-de-passe-oublie", data={**form, "captcha_key": key, "captcha": solve(key)}))


class Monitor:
    """A connection of the test's own, beside the one that holds the lock: pg_stat_activity is
    read fresh in each of its autocommit statements (a transaction would keep one snapshot)."""

    def __init__(self):
        self.database = connections.create_connection(DEFAULT_DB_ALIAS)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.holder = cursor.fetchone()[0]  # the test's main connection, which holds the lock

    def others(self, columns: str, where: str = "TRUE") -> list[tuple]:
        """Return columns of the database's other backends (the node's), where the condition holds."""
        with self.database.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM pg_stat_activity WHERE datname = current_database() "
                f"AND pid NOT IN (pg_backend_pid(), %s) AND {where}",
                [self.holder],
            )
            return cursor.fetchall()

    def waiting_on_a_lock(self) -> list[tuple[str, bool]]:
        """Return the statements that wait on a lock, each with whether its transaction has written."""
        return self.others("query, backend_xid IS NOT NULL", "wait_event_type = 'Lock'")

    def terminate_the_node_s_connections(self) -> int:
        return len(self.others("pg_terminate_backend(pid)"))

    def close(self):
        self.database.close()


@pytest.fixture
def monitor():
    watching = Monitor()
    yield watching
    watching.close()


def while_audit_is_locked(base: str, monitor: Monitor, then) -> list:
    """Start a J5 request, let it wait at its audit INSERT, call then() meanwhile; return its answer."""
    answer = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'LOCK TABLE "{AuditEvent._meta.db_table}" IN SHARE MODE')  # INSERTs wait
        request = threading.Thread(target=ask_reset, args=(base, EMAIL, answer), daemon=True)
        request.start()
        deadline = time.monotonic() + 30
        while not monitor.waiting_on_a_lock() and request.is_alive():
            assert time.monotonic() < deadline, "la requête n'attend pas le verrou"
            time.sleep(0.02)  # polling the server's progress, not the product's clock
        then()
    request.join(timeout=60)
    assert answer, "pas de réponse"
    return answer


def test_issue_18_4_postgres_cut_mid_request_french_page_nothing_half_written_node_recovers(node, monitor):
    base, server = node
    space = SpaceFactory(login_email=EMAIL)
    cut, health, waiting = [], [], []

    def cut_while_the_other_thread_serves():
        health.append(httpx.get(f"{base}/sante", timeout=30))  # the other thread: its own connection
        waiting.extend(monitor.waiting_on_a_lock())
        cut.append(monitor.terminate_the_node_s_connections())

    [response] = while_audit_is_locked(base, monitor, cut_while_the_other_thread_serves)
    page = response.text
    assert health[0].status_code == 200 and cut[0] >= 2, (health, cut)
    [(statement, has_written)] = waiting
    assert statement.startswith(f'INSERT INTO "{AuditEvent._meta.db_table}"') and has_written  # mid-transaction
    assert response.status_code == 500, page[:500]
    assert "Erreur inattendue" in page and "Le service rencontre une difficulté" in page
    assert '<html lang="fr"' in page and not any(word in page for word in ENGLISH)
    # Nothing half-written: the request, its email and its audit row went with the transaction.
    assert not PendingRequest.objects.filter(email=EMAIL).exists()
    assert not OutboxEmail.objects.filter(to=EMAIL).exists()
    assert not AuditEvent.objects.filter(email=EMAIL).exists()

    # The same node, not restarted, serves again, on both threads: one request held at the
    # lock while the other thread answers.
    after = []
    [again] = while_audit_is_locked(base, monitor, lambda: after.append(httpx.get(f"{base}/sante", timeout=30)))
    assert server.poll() is None
    assert after[0].status_code == 200 and after[0].json()["base"] == "ok", after[0].text
    assert again.status_code == 302 and again.headers["location"] == "/mot-de-passe-oublie/code"
    assert PendingRequest.objects.filter(space=space).count() == 1
    assert OutboxEmail.objects.filter(to=EMAIL).count() == 1 and AuditEvent.objects.filter(email=EMAIL).count() == 1
    following = [httpx.get(f"{base}{path}", timeout=30).status_code for path in ("/sante", "/", "/aide") * 2]
    print(
        f"\nPostgreSQL coupé : {cut[0]} connexions terminées, réponse {response.status_code} en français, "
        f"0 ligne écrite à moitié ; ensuite {following.count(200) + 2}/{len(following) + 2} requêtes réussies"
    )
    assert following == [200] * len(following)
