"""Time per letter (R-ADH-3): rendering one letter as a tagged PDF (the first one, fonts and
stylesheets loaded, then the median and the slowest of the next ones), and its whole hand-over,
render plus the PDF and its manifest written and fsynced into a spool folder (a temporary one
here). Wall-clock time beside the process's CPU time, as bench/pdf_bench.py prints them.

Run: make bench  (or .venv/bin/python bench/letter_bench.py [--letters N])
Exits non-zero when the median hand-over goes over the budget (300 ms a letter).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from codes import letter_worker  # noqa: E402
from codes.models import OutboxLetter  # noqa: E402

BUDGET_MS = 300
ASKED = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
LETTER = OutboxLetter(
    reference="C-2026-7K3QH9XZ",
    address=["SARL ALERIS", "Madame Lila ROSEMONDE", "Bâtiment B", "10 RUE DE L'ÉGLISE", "25000 BESANÇON"],
    template="codes/letters/activation.html",
    created_at=ASKED,
)
CONTEXT = {"code": "Ab3dEf6hIj9L", "expires_at": ASKED + timedelta(days=60), "site": "pro.exemple.fr"}


def timed(action) -> tuple[float, float]:
    """Return the wall-clock and CPU milliseconds of action()."""
    started, cpu = time.perf_counter(), time.process_time()
    action()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=30, help="letters timed per measure (default 30)")
    args = parser.parse_args()
    first, first_cpu = timed(lambda: letter_worker.render(LETTER, CONTEXT))
    print(f"Courrier PDF : premier courrier {first:.0f} ms, CPU {first_cpu:.0f} ms (polices et styles chargés)")
    with tempfile.TemporaryDirectory(prefix="espace-courriers-") as folder:

        def hand_over():
            letter_worker.write_files(Path(folder), LETTER, letter_worker.render(LETTER, CONTEXT))

        measures = (
            ("rendu", lambda: letter_worker.render(LETTER, CONTEXT)),
            ("remise (rendu, puis PDF et manifeste écrits avec fsync)", hand_over),
        )
        for name, action in measures:
            walls, cpus = zip(*(timed(action) for _ in range(args.letters)), strict=True)
            median = statistics.median(walls)
            print(
                f"Courrier PDF, {name} : médiane {median:.0f} ms (CPU {statistics.median(cpus):.0f} ms), "
                f"pire {max(walls):.0f} ms ({args.letters} courriers)"
            )
    over = median > BUDGET_MS  # the last measure: the whole hand-over
    print(f"Budget : {BUDGET_MS} ms par courrier remis — {'DÉPASSÉ' if over else 'tenu'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
