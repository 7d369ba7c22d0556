"""Settings for the test suite: the real settings, with a test key and fixed switches."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "0")
os.environ["CAPTCHA_TEST_MODE"] = "0"  # tests solve captchas through antirobot.testing

from config.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each pytest-xdist worker counts in its own Redis keys, cleared before every test.
THROTTLE_REDIS_PREFIX = f"espacepro-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:throttle:"

# SQLite pass: a file database (one per xdist worker, pytest-django adds the suffix), not the
# in-memory default, so that tests with threads meet SQLite's real locking, WAL included.
for _database in DATABASES.values():  # noqa: F405
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database.setdefault("TEST", {}).setdefault("NAME", str(VAR_DIR / "test-db.sqlite3"))  # noqa: F405
VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
