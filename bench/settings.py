"""Settings of the login benchmark: the test settings plus a stock Django LoginView."""

from config.settings_test import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The stock view authenticates through ModelBackend, with the same Argon2id hasher.
AUTHENTICATION_BACKENDS = ["espace.auth.SpaceBackend", "django.contrib.auth.backends.ModelBackend"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
LOGGING = {"version": 1, "disable_existing_loggers": True}
