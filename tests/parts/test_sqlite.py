"""WAL, synchronous=NORMAL, busy timeout and IMMEDIATE transactions on any
SQLite database, however it is named (SQLITE_PATH, default, or DATABASE_URL=sqlite:///…)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url

from config import env

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sqlite3
import django
django.setup()
from django.db import connection, transaction
names = ("journal_mode", "synchronous", "busy_timeout")
with connection.cursor() as cursor:
    pragmas = {name: cursor.execute(f"PRAGMA {name}").fetchone()[0] for name in names}
with transaction.atomic():
    # An IMMEDIATE transaction holds the write lock from BEGIN: another writer cannot start.
    connection.ensure_connection()
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        locked = False
    except sqlite3.OperationalError as error:
        locked = "locked" in str(error)
    other.close()
print(json.dumps({**pragmas, "locked_by_atomic": locked}))
"""


def start_probe(var_dir: Path, **variables) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQLITE_PATH", "REDIS_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", VAR_DIR=str(var_dir), **variables)
    return subprocess.Popen(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_every_sqlite_database_gets_wal_busy_timeout_and_immediate_transactions(tmp_path):
    """However the database is named: DATABASE_URL=sqlite:///… (which skipped them before),
    SQLITE_PATH, or the default var/db.sqlite3. The three probes run side by side."""
    cases = {
        "DATABASE_URL": ({"DATABASE_URL": f"sqlite:///{tmp_path / 'url.sqlite3'}"}, tmp_path / "url.sqlite3"),
        "SQLITE_PATH": ({"SQLITE_PATH": str(tmp_path / "path.sqlite3")}, tmp_path / "path.sqlite3"),
        "default": ({}, tmp_path / "db.sqlite3"),
    }
    probes = {name: start_probe(tmp_path, **variables) for name, (variables, _) in cases.items()}
    for name, process in probes.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        found = json.loads(out.strip().splitlines()[-1])
        expected = {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 20000, "locked_by_atomic": True}
        assert (name, found) == (name, expected)
        assert cases[name][1].exists()


def test_tune_sqlite_leaves_other_engines_alone_and_keeps_given_options():
    databases = {
        "default": dj_database_url.parse("postgres://u@h:5432/d"),
        "url": dj_database_url.parse("sqlite:////tmp/x.sqlite3"),
        "given": {"ENGINE": "django.db.backends.sqlite3", "NAME": "y", "OPTIONS": {"timeout": 5}},
    }
    env.tune_sqlite(databases)
    assert "init_command" not in databases["default"].get("OPTIONS", {})
    assert databases["url"]["OPTIONS"] == env.SQLITE_OPTIONS
    assert databases["given"]["OPTIONS"] == {**env.SQLITE_OPTIONS, "timeout": 5}
