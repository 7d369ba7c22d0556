"""Settings of the HTTP load bench (bench/http_load.py): production's, plus a stock Django LoginView.

Unlike bench/settings.py (an in-process bench on the test settings), everything comes from
the environment the bench gives both the served product and its own preparing process:
SECRET_KEY, DEBUG=0, SQLITE_PATH or DATABASE_URL and REDIS_URL, TRUSTED_PROXIES. The two
processes must read one database with one key (captcha answers and code digests are keyed
with SECRET_KEY), so nothing here draws a temporary directory of its own.
"""

from pathlib import Path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The stock view authenticates through ModelBackend, with the same Argon2id hasher.
AUTHENTICATION_BACKENDS = ["accounts.auth.SpaceBackend", "django.contrib.auth.backends.ModelBackend"]
TEMPLATES[0]["DIRS"] = [str(Path(__file__).resolve().parent / "templates")]  # noqa: F405
