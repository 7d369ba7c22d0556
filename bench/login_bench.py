"""Logins per second: our login (captcha, throttle, audit, Argon2id) against a stock Django
LoginView with the same Argon2id parameters, side by side in one run.

Run: make bench  (or .venv/bin/python bench/login_bench.py [--logins N])
Each login is a fresh browser: GET the page, POST the credentials, follow nothing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from antirobot.testing import captcha_post_data  # noqa: E402
from tests.factories import STRONG_PASSWORD, SpaceFactory  # noqa: E402

settings.TEMPLATES[0]["DIRS"] = [str(Path(__file__).resolve().parent / "templates")]


def ours(space) -> float:
    client = Client()
    started = time.perf_counter()
    page = client.get("/")
    response = client.post("/", {"email": space.login_email, "password": STRONG_PASSWORD, **captcha_post_data(page)})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed


def stock(space) -> float:
    client = Client()
    started = time.perf_counter()
    client.get("/stock-login")
    response = client.post("/stock-login", {"username": space.subscriber_number, "password": STRONG_PASSWORD})
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=60)
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    spaces = [SpaceFactory() for _ in range(args.logins)]
    hasher = get_hasher()
    print(
        f"Argon2id m={hasher.memory_cost} KiB t={hasher.time_cost} p={hasher.parallelism}, "
        f"SQLite en mémoire, {args.logins} connexions, un seul processus"
    )
    rates = {}
    for label, run in (("stock Django LoginView", stock), ("Espace professionnel", ours)):
        run(spaces[0])  # warm-up
        times = [run(space) for space in spaces]
        rates[label] = len(times) / sum(times)
        print(
            f"{label:24s} {rates[label]:7.1f} connexions/s  "
            f"médiane {statistics.median(times) * 1000:6.1f} ms  p95 {sorted(times)[int(len(times) * 0.95) - 1] * 1000:6.1f} ms"
        )
    print(
        f"rapport Espace professionnel / stock : {rates['Espace professionnel'] / rates['stock Django LoginView']:.2f} "
        "(captcha, limitation, journal d'audit compris)"
    )


if __name__ == "__main__":
    main()
