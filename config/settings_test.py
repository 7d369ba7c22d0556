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
