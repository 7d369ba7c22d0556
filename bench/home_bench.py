"""The home and "Voir tous mes dossiers" with 1 dossier and with 1,000 (R-HOME-1: as fast at
1,000 as at 1; the issue asks the same cost within 20 %).

Run: make bench  (or .venv/bin/python bench/home_bench.py [--rounds R] [--requests N] [--dossiers D]
[--services S])

Three spaces, each holding the same services on every dossier (SERVICES: five services of four
families; --services 36: the whole catalogue, as the mode simplifié asks, R-ADH-4): one
dossier, one page of dossiers (DOSSIERS_PAGE_SIZE, the most rows a page of the list draws) and
1,000. Each is logged in, and the one with several has chosen its first dossier, so that all
three homes draw "Dossier courant" and the same services (the one with several adds the "Mes
dossiers" block). Per space, GET /espace and GET /espace/dossiers, each answered 200; the
queries of one request of each are counted.

The measures are interleaved in rounds (the machine may be shared); the medians over rounds
of the wall-clock and CPU time per request are printed, and the ratio of each to the space
with one dossier. Figures are relative; no test asserts them (tests/habilitations/
test_dossiers_queries.py asserts the number of queries).
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
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.database import fresh_database  # noqa: E402
from core import clock  # noqa: E402
from accounts.models import AccessMode, Space  # noqa: E402
from accounts.services import passwords  # noqa: E402
from catalogue.models import Service  # noqa: E402
from tests.factories import STRONG_PASSWORD, TRUST_ANSWER  # noqa: E402
from tests.habilitations.holdings import SERVICES, many_dossiers, sign_in  # noqa: E402

PAGES = {"accueil": "/espace", "liste": "/espace/dossiers"}


def prepare_database() -> None:
    """Migrate the benchmark database (the catalogue comes with it) and empty a services stack's."""
    fresh_database()


def make_space(n: int) -> Space:
    now = clock.now()
    space = Space(
        subscriber_number=f"2026098{n:07d}",
        access_mode=AccessMode.PASSWORD,
        login_email=f"accueil{n}@exemple.fr",
        contact_email=f"accueil{n}@exemple.fr",
        civility="MME",
        last_name="ROSEMONDE",
        first_name="Lila",
        company_identifier="732829320",
        phone="+33124578877",
        city="PARIS",
        trust_question="Quel est votre surnom ?",
        trust_answer_hash=make_password(TRUST_ANSWER),
        created_at=now,
        password=make_password(STRONG_PASSWORD),
        password_changed_at=now,
        password_expires_on=passwords.expiry_date(now),
    )
    space.save()
    return space


def logged_in(count: int, n: int, codes=SERVICES) -> Client:
    """A browser logged in to a new space holding count dossiers, its first one chosen."""
    space = make_space(n)
    made = many_dossiers(space, count, codes, first=n * 100_000)
    client = Client()
    sign_in(client, space)
    if count > 1:
        response = client.post("/espace/dossiers/choisir", {"siren": made[0].siren})
        assert response.status_code == 302, response.status_code
    return client


def get(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)


def timed(client: Client, path: str, requests: int) -> tuple[float, float]:
    """Return (wall seconds, CPU seconds) per request of requests GETs of path."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(requests):
        get(client, path)
    return (time.perf_counter() - wall) / requests, (time.process_time() - cpu) / requests


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        get(client, path)
    return len(captured.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (medians over them)")
    parser.add_argument("--requests", type=int, default=40, help="requests per page, space and round")
    parser.add_argument("--dossiers", type=int, default=1000, help="dossiers of the largest space")
    parser.add_argument("--services", type=int, default=len(SERVICES), help="services held on each dossier")
    args = parser.parse_args()
    prepare_database()
    codes = SERVICES if args.services == len(SERVICES) else list(Service.objects.values_list("code", flat=True))
    codes = codes[: args.services]
    sizes = [1, settings.DOSSIERS_PAGE_SIZE, args.dossiers]
    clients = {size: logged_in(size, n, codes) for n, size in enumerate(sizes, start=1)}
    for client in clients.values():  # warm-up: templates, URL caches, the connection
        for path in PAGES.values():
            timed(client, path, args.requests)

    wall = {(page, size): [] for page in PAGES for size in sizes}
    cpu = {(page, size): [] for page in PAGES for size in sizes}
    for _ in range(args.rounds):
        for page, path in PAGES.items():
            for size, client in clients.items():
                seconds, cpu_seconds = timed(client, path, args.requests)
                wall[page, size].append(seconds)
                cpu[page, size].append(cpu_seconds)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{engine} database; {len(codes)} services a dossier; one process, sequential")
    print(f"{args.rounds} interleaved rounds of {args.requests} requests per page and space; medians over rounds")
    print(f"{'':10s} {'dossiers':>9s} {'queries':>8s} {'ms/request':>11s} {'/ 1 dossier':>12s} {'CPU / 1':>8s}")
    for page, path in PAGES.items():
        for size, client in clients.items():
            ratio = statistics.median(w / one for w, one in zip(wall[page, size], wall[page, 1], strict=True))
            cpu_ratio = statistics.median(c / one for c, one in zip(cpu[page, size], cpu[page, 1], strict=True))
            per_request = statistics.median(wall[page, size])
            print(
                f"{page:10s} {size:9d} {queries(client, path):8d} {per_request * 1000:11.2f} "
                f"{ratio:11.0%} {cpu_ratio:8.0%}"
            )


if __name__ == "__main__":
    main()
