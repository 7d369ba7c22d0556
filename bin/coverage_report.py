"""Combine the coverage data of the test passes, print branch coverage per package, write
the HTML report, and enforce the floor: `python bin/coverage_report.py [--floor N] DATA...`.

Each DATA file is the coverage of one pass (SQLite, PostgreSQL); a line or branch counts as
covered when either pass ran it. Per-package figures are statements and branches covered
over statements and branches (coverage.py's own total), one row per directory.
"""

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from coverage import Coverage

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="+", help="data files of the passes")
    parser.add_argument("--floor", type=float, default=None, help="fail under this total percentage")
    args = parser.parse_args(argv)

    cov = Coverage(config_file=str(ROOT / "pyproject.toml"))
    cov.combine([str(path) for path in args.data if Path(path).exists()], strict=True)
    cov.save()
    cov.load()
    report = ROOT / "var" / "coverage" / "coverage.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    cov.json_report(outfile=str(report))
    cov.html_report()
    data = json.loads(report.read_text())

    packages = defaultdict(lambda: [0, 0, 0, 0])  # statements, covered, branches, covered branches
    for name, entry in data["files"].items():
        summary = entry["summary"]
        row = packages[str(Path(name).parent).replace("/", ".")]
        row[0] += summary["num_statements"]
        row[1] += summary["covered_lines"]
        row[2] += summary.get("num_branches", 0)
        row[3] += summary.get("covered_branches", 0)

    print(f"{'paquet':<28} {'instr.':>7} {'manq.':>6} {'branches':>9} {'manq.':>6} {'couv.':>7}")
    for package in sorted(packages):
        statements, covered, branches, covered_branches = packages[package]
        total = statements + branches
        if not total:  # a package of empty __init__.py files
            continue
        percent = 100.0 * (covered + covered_branches) / total
        print(
            f"{package:<28} {statements:>7} {statements - covered:>6} {branches:>9} "
            f"{branches - covered_branches:>6} {percent:>6.1f}%"
        )
    total = data["totals"]["percent_covered"]
    print(f"{'TOTAL':<28} {'':>7} {'':>6} {'':>9} {'':>6} {total:>6.1f}%")
    print(f"Détail ligne à ligne : {cov.config.html_dir}/index.html")
    if args.floor is not None and total < args.floor:
        print(f"ÉCHEC : couverture des branches {total:.2f} % < plancher {args.floor:g} % (COVERAGE_FLOOR)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
