"""Combine the coverage data of the test passes, print branch coverage per package, write
the HTML report, and enforce the floor: `python bin/coverage_report.py [--floor N] FIRST [MORE...]`.

Each data file is the coverage of one pass (SQLite first, then PostgreSQL); a line or branch
counts as covered when either pass ran it. Per-package figures are statements and branches
covered over statements and branches (coverage.py's own total), one row per directory.

The floor applies to the first pass alone — the SQLite pass, the one `make test` runs on any
machine, so that a machine without PostgreSQL cannot pass under it — and, when there are more,
to all passes together.
"""

import argparse
import io
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

    passes = [Path(path) for path in args.data if Path(path).exists()]
    if not passes or (args.floor is not None and passes[0] != Path(args.data[0])):
        print(f"ÉCHEC : pas de données de couverture de la première passe ({args.data[0]})")
        return 1
    # Each pass alone, then all together (keep=True leaves the files of the passes in place).
    alone = {path: pass_total(path) for path in passes}
    cov = Coverage(config_file=str(ROOT / "pyproject.toml"))
    cov.combine([str(path) for path in passes], strict=True, keep=True)
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
    if len(passes) > 1:
        for path, figure in alone.items():
            print(f"{'  ' + label(path) + ' seule':<28} {'':>7} {'':>6} {'':>9} {'':>6} {figure:>6.1f}%")
    print(f"Détail ligne à ligne : {cov.config.html_dir}/index.html")
    if args.floor is None:
        return 0
    judged = {label(passes[0]) + " seule": alone[passes[0]]}
    if len(passes) > 1:
        judged["passes réunies"] = total
    failed = {name: figure for name, figure in judged.items() if figure < args.floor}
    for name, figure in failed.items():
        print(f"ÉCHEC : couverture des branches ({name}) {figure:.2f} % < plancher {args.floor:g} % (COVERAGE_FLOOR)")
    return 1 if failed else 0


def label(path: Path) -> str:
    """Name a pass by its data file: var/.coverage.sqlite is "sqlite"."""
    return path.name.removeprefix(".coverage.") or path.name


def pass_total(path: Path) -> float:
    """Return the branch coverage of one pass alone, as coverage.py totals it."""
    alone = Coverage(data_file=str(path), config_file=str(ROOT / "pyproject.toml"))
    alone.load()
    return alone.report(file=io.StringIO())


if __name__ == "__main__":
    sys.exit(main())
