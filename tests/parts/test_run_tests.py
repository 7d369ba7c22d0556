"""What `make test` enforces (bin/run-tests, bin/coverage_report.py): the passes it runs and
the 95 % branch-coverage floor, on SQLite alone and on both passes together.

The real scripts run in a copy of their folder where pytest is a stand-in: it records how it
was called and writes, as the pass's coverage, data measured beforehand on a small package
(all of it run, or only its import).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULE = "def level(x):\n    if x:\n        return 1\n    return 2\n"
RUN = "import sys\nfrom core import rule\nif sys.argv[1] == 'full':\n    rule.level(0), rule.level(1)\n"
# pytest's stand-in: one line of JSON per call, then the coverage named by the pass's file.
FAKE_PYTEST = """#!/bin/sh
printf '{"argv": "%s", "db": "%s", "redis": "%s", "test_redis": "%s"}\\n' \\
  "$*" "${DATABASE_URL:-}" "${REDIS_URL:-}" "${TEST_REDIS_URL:-}" >> calls.jsonl
case "$COVERAGE_FILE" in
  *sqlite) cp "data/$SQLITE_PASS" "$COVERAGE_FILE" ;;
  *) cp "data/$POSTGRES_PASS" "$COVERAGE_FILE" ;;
esac
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of bin/run-tests and bin/coverage_report.py over a one-module product."""
    folder = tmp_path_factory.mktemp("run-tests")
    (folder / "bin").mkdir()
    for script in ("run-tests", "coverage_report.py"):
        shutil.copy2(ROOT / "bin" / script, folder / "bin" / script)
    (folder / "pyproject.toml").write_text(
        '[tool.coverage.run]\nbranch = true\nsource = ["core"]\ndata_file = "var/.coverage"\n'
        '[tool.coverage.html]\ndirectory = "var/coverage"\n'
    )
    (folder / "core").mkdir()
    (folder / "core" / "__init__.py").write_text("")
    (folder / "core" / "rule.py").write_text(MODULE)
    (folder / "run.py").write_text(RUN)
    venv = folder / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (venv / "pytest").write_text(FAKE_PYTEST)
    for tool in venv.iterdir():
        tool.chmod(0o755)
    (folder / "data").mkdir()
    for part in ("full", "import"):
        subprocess.run(
            [sys.executable, "-m", "coverage", "run", "--rcfile=pyproject.toml", f"--data-file=data/{part}"]
            + ["run.py", part],
            cwd=folder,
            env=clean_environment(),
            check=True,
        )
    return folder


def clean_environment(**extra) -> dict:
    """The environment of a shell, without this run's own coverage and services."""
    hidden = {"COVERAGE_FILE", "COVERAGE_PROCESS_START", "DATABASE_URL", "REDIS_URL", "REQUIRE_SERVICES"}
    environment = {k: v for k, v in os.environ.items() if k not in hidden and not k.startswith("COV_CORE")}
    return {**environment, **extra}


def run_tests(project, *arguments, sqlite="full", postgres="full", **environment):
    (project / "calls.jsonl").unlink(missing_ok=True)
    result = subprocess.run(
        ["bin/run-tests", *arguments],
        cwd=project,
        env=clean_environment(SQLITE_PASS=sqlite, POSTGRES_PASS=postgres, **environment),
        capture_output=True,
        text=True,
    )
    calls = [json.loads(line) for line in (project / "calls.jsonl").read_text().splitlines()]
    return result, calls


def test_make_test_on_sqlite_alone_fails_under_the_floor(project):
    result, calls = run_tests(project, sqlite="import")
    assert len(calls) == 1 and calls[0]["db"] == ""
    assert result.returncode == 1, result.stdout
    assert "ÉCHEC : couverture des branches (sqlite seule)" in result.stdout


def test_make_test_on_sqlite_alone_passes_over_the_floor(project):
    result, _ = run_tests(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "100.0%" in result.stdout


def test_a_part_of_the_suite_shows_the_figure_without_the_floor(project):
    result, calls = run_tests(project, "tests/parts", sqlite="import")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TOTAL" in result.stdout and "ÉCHEC" not in result.stdout
    assert calls[0]["argv"].endswith("tests/parts")


def test_both_passes_judge_the_sqlite_pass_alone_and_both_together(project):
    database = "postgres://localhost/essai"
    result, calls = run_tests(project, sqlite="import", postgres="full", DATABASE_URL=database)
    assert [call["db"] for call in calls] == ["", database]
    assert result.returncode == 1  # PostgreSQL covers it all, but `make test` without it would not
    assert "(sqlite seule)" in result.stdout and "(passes réunies)" not in result.stdout
    assert "postgres seule" in result.stdout

    result, _ = run_tests(project, sqlite="full", postgres="import", DATABASE_URL=database)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_sqlite_pass_runs_the_redis_tests_on_its_database_stores(project):
    """The SQLite pass takes the redis tests (they skip without a Redis) and gets REDIS_URL
    only as TEST_REDIS_URL: its sessions and counters stay in the database."""
    redis = "redis://127.0.0.1:6379/14"
    _, calls = run_tests(project, REDIS_URL=redis, DATABASE_URL="postgres://localhost/essai")
    sqlite, postgres = calls
    assert "-m not postgres" in sqlite["argv"] and "redis" not in sqlite["argv"]
    assert (sqlite["redis"], sqlite["test_redis"]) == ("", redis)
    assert postgres["redis"] == redis and "-m not browser" in postgres["argv"]
