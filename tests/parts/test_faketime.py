"""R-PWD-6, R-EXP-*: the served product follows a moved system clock (libfaketime), nothing caches "today".

The demo data is loaded with the real clock (its password changed today, valid 3 years), then
the very server `make run` starts (gunicorn with bin/gunicorn.conf.py) runs under
`faketime` a given number of days later, and a real HTTP client logs in as a person would:
- 1040 days later (about 55 days left): the R-EXP-1 alert comes after the login;
- 1096 days later (past the last valid day): R-EXP-2, no session, "Mot de passe expiré";
and `send_expiry_reminders` under the moved clock sends the R-EXP-4 reminder.
"""

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from django.test import override_settings

from antirobot.testing import solve
from accounts.management.commands.load_demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.conftest import need
from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
SECRET = "faketime-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
KEY_RE = re.compile(r'name="captcha_key" value="([^"]+)"')
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A SQLite database with the demo data, loaded with the real clock."""
    need(shutil.which("faketime") is not None, "faketime absent (apt-get install faketime)")
    folder = tmp_path_factory.mktemp("faketime")
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}},
        "SECRET_KEY": SECRET,
        "DEBUG": "0",
        "VAR_DIR": str(folder),
        "SQLITE_PATH": str(folder / "db.sqlite3"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "TRUSTED_PROXIES": "",
        "WHITENOISE_USE_FINDERS": "1",
    }
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([str(PYTHON), "manage.py", *command], cwd=ROOT, env=environment, check=True, capture_output=True)
    return environment


def run_moved(environment, days: int, *command: str, **options):
    return subprocess.Popen(["faketime", "-f", f"+{days}d", *command], cwd=ROOT, env=environment, **options)


def serve(environment, days: int):
    port = free_port()
    server = run_moved(
        {**environment, "PORT": str(port), "WEB_WORKERS": "1"},
        days,
        str(GUNICORN),
        "-c",
        "bin/gunicorn.conf.py",
        "config.wsgi:application",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, "gunicorn s'est arrêté"
        try:
            httpx.get(f"http://127.0.0.1:{port}/sante", timeout=5)
            return server, port
        except httpx.TransportError:
            assert time.monotonic() < deadline, "gunicorn n'a pas démarré"
            time.sleep(0.1)  # waiting for the server to listen, not for a result


def log_in(port: int) -> httpx.Response:
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as browser:
        page = browser.get("/").text
        key = KEY_RE.search(page).group(1)
        with override_settings(SECRET_KEY=SECRET):  # the server's key draws its characters
            answer = solve(key)
        form = {
            "csrfmiddlewaretoken": CSRF_RE.search(page).group(1),
            "email": DEMO_EMAIL,
            "password": DEMO_PASSWORD,
            "captcha_key": key,
            "captcha": answer,
        }
        return browser.post("/", data=form)


@pytest.mark.parametrize(
    "days, expected",
    [(1040, "/espace/alerte-expiration"), (1096, "/mot-de-passe-expire")],
    ids=["r-exp-1-alert", "r-exp-2-expired"],
)
def test_issue_7_the_served_product_follows_a_moved_clock(demo, days, expected):
    server, port = serve(demo, days)
    try:
        response = log_in(port)
    finally:
        # The whole group: faketime's wrapper, gunicorn's arbiter and its workers.
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert response.status_code == 302
    assert response.headers["location"] == expected


def test_r_exp_4_reminders_follow_a_moved_clock(demo):
    moved = run_moved(
        demo, 1040, str(PYTHON), "manage.py", "send_expiry_reminders", stdout=subprocess.PIPE, text=True
    )
    out, _ = moved.communicate(timeout=120)
    assert "1 rappel(s)" in out
