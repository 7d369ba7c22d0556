import os

import pytest

pytest_plugins = ["tests.smtp_server"]

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need(condition: bool, reason: str):
    """Skip when a real service is missing, but fail in CI (REQUIRE_SERVICES=1)."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"service requis absent : {reason}")
    pytest.skip(reason)
