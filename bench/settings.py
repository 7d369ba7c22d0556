"""Settings of the login benchmark: the product's settings plus a stock Django LoginView.

The store is chosen by BENCH_STACK:
- "sqlite" (default): what `make run` uses, a SQLite file in WAL mode, sessions and throttle
  counters in the database. A fresh file per run, in a temporary directory.
- "services": the production shape, PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) for
  sessions and throttle counters. Point them at a database and a Redis index of your own:
  the benchmark empties them.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

STACK = os.environ.get("BENCH_STACK", "sqlite")
if STACK == "sqlite":
    # Read by config.settings: the development shape, whatever the shell exports.
    os.environ["DATABASE_URL"] = ""
    os.environ["REDIS_URL"] = ""
    _directory = tempfile.mkdtemp(prefix="espace-bench-")
    atexit.register(shutil.rmtree, _directory, ignore_errors=True)
    os.environ["SQLITE_PATH"] = str(Path(_directory) / "bench.sqlite3")
elif STACK != "services":
    raise RuntimeError(f"BENCH_STACK doit valoir sqlite ou services, pas {STACK!r}")

from config.settings_test import *  # noqa: E402,F403

if STACK == "services" and not (DATABASE_URL and REDIS_URL):  # noqa: F405
    raise RuntimeError("BENCH_STACK=services demande DATABASE_URL et REDIS_URL.")

ROOT_URLCONF = "bench.urls"
# The stock view authenticates through ModelBackend, with the same Argon2id hasher.
AUTHENTICATION_BACKENDS = ["accounts.auth.SpaceBackend", "django.contrib.auth.backends.ModelBackend"]
TEMPLATES[0]["DIRS"] = [str(Path(__file__).resolve().parent / "templates")]  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": True}
# As in production: static files indexed once at start, not looked up on every request.
WHITENOISE_AUTOREFRESH = False

# Every login of the benchmark comes from 127.0.0.1: the per-address captcha ceiling (a
# protection against one client filling the table) is not what it measures.
THROTTLE_POLICIES = {**THROTTLE_POLICIES}  # noqa: F405
THROTTLE_POLICIES["captchas_per_address"] = {**THROTTLE_POLICIES["captchas_per_address"], "limit": 10**9}
