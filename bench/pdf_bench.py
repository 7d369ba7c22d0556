"""Time per récapitulatif PDF (R-PDF-1): the first one (fonts and stylesheets loaded), then the
median and the slowest of the next ones, for a typical space and for one at the form's limits.
Wall-clock time is what a user waits; the CPU time beside it is what one PDF costs the process,
and stays meaningful when other programs share the machine's cores.

Run: make bench  (or .venv/bin/python bench/pdf_bench.py [--pdfs N])
Exits non-zero when the median goes over the budget (300 ms a PDF).
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# recapitulatif.render reads RECAP_RENDERER (core.contracts): the settings must be there.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from recapitulatif import RecapData, render  # noqa: E402

BUDGET_MS = 300
TYPICAL = RecapData(
    civility="Madame",
    last_name="ROSEMONDE",
    first_name="Lila",
    subscriber_number="20260540000101",
    phone="01 24 57 88 77",
    login_email="lila.rosemonde@exemple.fr",
    address_lines=["10 rue de l'Église", "25000 BESANÇON", "FRANCE"],
    company_identifier="732 829 320",
    company_name="MARTIN DISTRIBUTION",
    trust_question="Quel est le nom de votre premier animal ?",
    created_at=datetime(2026, 2, 23, 15, 5, 25, tzinfo=timezone.utc),
)
# Every field at the form's maximum length (models: 60 to 100 characters).
AT_LIMITS = RecapData(
    civility="Monsieur",
    last_name="É" * 60,
    first_name="Ñ" * 60,
    subscriber_number="2" * 14,
    phone="+33 1 24 57 88 77",
    login_email="a" * 88 + "@exemple.fr",
    address_lines=["1234567890 " + "r" * 30 + " " + "N" * 100, "C" * 100, "75001 " + "V" * 60, "P" * 60],
    company_identifier="Q" * 30,
    company_name=None,
    trust_question="?" * 100,
    created_at=datetime(2026, 2, 23, 15, 5, 25, tzinfo=timezone.utc),
)


def timed(data: RecapData) -> tuple[float, float]:
    """Return the wall-clock and CPU milliseconds of rendering data once."""
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render(data)
    elapsed = ((time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000)
    assert pdf.startswith(b"%PDF")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=30, help="PDFs timed per case (default 30)")
    args = parser.parse_args()
    first, first_cpu = timed(TYPICAL)
    print(f"Récapitulatif PDF : premier document {first:.0f} ms, CPU {first_cpu:.0f} ms (polices et styles chargés)")
    over = False
    for name, data in (("cas courant", TYPICAL), ("champs à la longueur maximale", AT_LIMITS)):
        walls, cpus = zip(*(timed(data) for _ in range(args.pdfs)), strict=True)
        median = statistics.median(walls)
        over = over or median > BUDGET_MS
        print(
            f"Récapitulatif PDF, {name} : médiane {median:.0f} ms (CPU {statistics.median(cpus):.0f} ms), "
            f"pire {max(walls):.0f} ms ({args.pdfs} PDF)"
        )
    print(f"Budget : {BUDGET_MS} ms par PDF — {'DÉPASSÉ' if over else 'tenu'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
