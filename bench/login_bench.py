"""Logins per second against the physical limit: one Argon2id verification.

Run: make bench  (or .venv/bin/python bench/login_bench.py [--rounds R] [--logins N])

Three measures, side by side in one process, sequential:
1. ceiling: raw verifications per second of accounts.hashers.Argon2idHasher (19 MiB, t=2,
   p=1); a login can never beat it, since each one checks one password;
2. a stock Django LoginView (bench/urls.py) with the same hasher;
3. our login: GET / (the page, a new captcha), POST / with the captcha solved as a person
   would (antirobot.testing), through the throttle, the audit log, the expiry stage and the
   session, answered by a 302 to the space.
Stock and ours are each a fresh browser: GET the page, POST the credentials, follow nothing.

The machine may be shared: the three measures are interleaved in rounds, each round gives
its own ratio to its own ceiling, and the medians over rounds are printed. Wall-clock rates
are what a user sees; CPU-time ratios (this process only) move less when other processes
compete for the cores. Figures are relative; no test asserts them.
"""

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import get_hasher, make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from antirobot.testing import captcha_post_data  # noqa: E402
from core import clock  # noqa: E402
from accounts.models import AccessMode, Space  # noqa: E402
from accounts.services import passwords  # noqa: E402
from tests.factories import STRONG_PASSWORD, TRUST_ANSWER  # noqa: E402


def prepare_database() -> None:
    """Migrate the benchmark database and empty what a previous run left (services stack)."""
    call_command("migrate", verbosity=0)
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        call_command("flush", verbosity=0, interactive=False)
    if settings.REDIS_URL:
        from django_redis import get_redis_connection

        get_redis_connection("default").flushdb()


NUMBERS = itertools.count()


def make_spaces(count: int) -> list[Space]:
    """Create count password spaces sharing one hash: the same Argon2 cost, made once.

    One space per login: the per-account hourly budget of checks (R-THROTTLE-1) would
    refuse a hundred logins on one account, and a real peak is many users once each.
    """
    password_hash, answer_hash, now = make_password(STRONG_PASSWORD), make_password(TRUST_ANSWER), clock.now()
    spaces = []
    for n in itertools.islice(NUMBERS, count):
        space = Space(
            subscriber_number=f"2026099{n:07d}",
            access_mode=AccessMode.PASSWORD,
            login_email=f"banc{n}@exemple.fr",
            contact_email=f"banc{n}@exemple.fr",
            civility="MME",
            last_name="ROSEMONDE",
            first_name="Lila",
            company_identifier="732829320",
            phone="+33124578877",
            city="PARIS",
            trust_question="Quel est votre surnom ?",
            trust_answer_hash=answer_hash,
            created_at=now,
        )
        # bulk_create needs unsaved rows: the fields set_password would set, set by hand.
        space.password, space.password_changed_at = password_hash, now
        space.password_expires_on = passwords.expiry_date(now)
        spaces.append(space)
    return Space.objects.bulk_create(spaces)


def ceiling(space: Space) -> None:
    assert get_hasher().verify(STRONG_PASSWORD, space.password)


def post_form(client: Client, path: str, fields: dict):
    """POST fields the way a browser sends a form without enctype: URL-encoded, not multipart
    (the test client's default, whose encoding and parsing a real login never pays)."""
    return client.post(path, urlencode(fields), content_type="application/x-www-form-urlencoded")


# One client each, so that its handler loads the middleware once, as a server process does;
# each login starts from an empty cookie jar, as a fresh browser.
STOCK_CLIENT, OUR_CLIENT = Client(), Client()


def stock(space: Space) -> None:
    client = STOCK_CLIENT
    client.cookies.clear()
    client.get("/stock-login")
    response = post_form(client, "/stock-login", {"username": space.subscriber_number, "password": STRONG_PASSWORD})
    assert response.status_code == 302, response.status_code


def ours(space: Space) -> None:
    client = OUR_CLIENT
    client.cookies.clear()
    page = client.get("/")
    fields = {"email": space.login_email, "password": STRONG_PASSWORD, **captcha_post_data(page)}
    response = post_form(client, "/", fields)
    assert response.status_code == 302 and response.url == "/espace", (response.status_code, response.content[:300])


MEASURES = {
    "ceiling: Argon2id verify": ceiling,
    "stock Django LoginView": stock,
    "Espace professionnel": ours,
}


def timed(run, spaces) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds) of run over spaces, one after the other."""
    wall, cpu = time.perf_counter(), time.process_time()
    for space in spaces:
        run(space)
    return time.perf_counter() - wall, time.process_time() - cpu


def describe() -> str:
    hasher = get_hasher()
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    store = "Redis" if settings.REDIS_URL else "database"
    return (
        f"Argon2id m={hasher.memory_cost} KiB t={hasher.time_cost} p={hasher.parallelism}; "
        f"{engine} database, sessions and throttle in {store}; one process, sequential"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (medians over them)")
    parser.add_argument("--logins", type=int, default=25, help="logins per measure and round")
    args = parser.parse_args()
    prepare_database()
    spaces = iter(make_spaces((len(MEASURES) * (args.rounds + 1)) * args.logins))
    for run in MEASURES.values():  # warm-up: imports, template and URL caches, connections
        timed(run, [next(spaces) for _ in range(args.logins)])

    wall = {label: [] for label in MEASURES}
    cpu = {label: [] for label in MEASURES}
    for _ in range(args.rounds):
        for label, run in MEASURES.items():
            seconds, cpu_seconds = timed(run, [next(spaces) for _ in range(args.logins)])
            wall[label].append(seconds / args.logins)
            cpu[label].append(cpu_seconds / args.logins)

    print(describe())
    print(f"{args.rounds} interleaved rounds of {args.logins} logins per measure; medians over rounds")
    print(f"{'':28s} {'logins/s':>9s} {'ms/login':>9s} {'/ ceiling':>10s} {'CPU / ceiling':>14s}")
    ceiling_label = next(iter(MEASURES))
    for label in MEASURES:
        ratio = statistics.median(c / w for c, w in zip(wall[ceiling_label], wall[label], strict=True))
        cpu_ratio = statistics.median(c / w for c, w in zip(cpu[ceiling_label], cpu[label], strict=True))
        per_login = statistics.median(wall[label])
        print(f"{label:28s} {1 / per_login:9.1f} {per_login * 1000:9.2f} {ratio:9.0%} {cpu_ratio:14.0%}")


if __name__ == "__main__":
    main()
