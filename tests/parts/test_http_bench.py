"""Issue 18 §3: the HTTP load bench runs (--quick) against the real gunicorn and prints every line.

The figures depend on the machine and are never asserted; the lines are: the logins per second
(ceiling, stock, ours as a browser does it and ours on the stock view's requests), the latencies
at 1, 4 and 16 clients, a row per page of every journey, the two journeys' rows and a worker's RSS."""

import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
NUMBER = r"\s+[\d.]+"

EXPECTED = [
    r"^Banc HTTP : gunicorn 1 worker\(s\) x 2 threads sur le cœur 0, client sur le cœur 1 ; base ",
    r"^Charge de la machine .* espaces distincts connectés .* adresses TEST-NET distinctes, \d+ vues par le produit$",
    *(
        rf"^  {re.escape(line)}{NUMBER}\s+\d+%{NUMBER}\s+\d+%$"
        for line in (
            "plafond : vérifications Argon2id brutes",
            "LoginView de Django (stock)",
            "Espace professionnel",
            "Espace professionnel, page et POST",
        )
    ),
    *(
        rf"^  {who}\s+{clients} clients{NUMBER * 6}\s+\d+%\s+\d+%$"
        for who in ("ours", r"ours\*", "stock")
        for clients in (1, 4, 16)
    ),
    *(rf"^  {journey}{NUMBER * 5}$" for journey in ("création", "activation")),
    *(
        rf"^  {re.escape(page)}\s+\d+{NUMBER * 4}$"
        for page in (
            "connexion : GET / (page)",
            "connexion : GET image du captcha",
            "connexion : POST /",
            "connexion : GET /espace (accueil)",
            "connexion* : GET / (page)",
            "connexion* : POST /",
            "stock : GET /stock-login",
            "stock : POST /stock-login",
            "création : GET /creation",
            "création : POST identifiants (courriel)",
            "création : POST Confirmer",
            "création : GET code envoyé",
            "activation : GET /activation",
            "activation : POST code",
            "activation : POST courriel",
            "activation : GET confirmation",
            "accueil, 1 dossier : GET /espace",
            "accueil, 1000 dossiers : GET /espace",
            "liste, 1000 dossiers : GET /espace/dossiers",
            "historique de sécurité : GET /espace/historique",
            "récapitulatif : GET /espace/recapitulatif.pdf",
            "santé : GET /sante",
        )
    ),
    r"^Mémoire d'un worker \(VmRSS\) : \d+ Mio au démarrage, \d+ Mio après \d+ requêtes",
]


def test_issue_18_3_http_bench_prints_every_line():
    """Issue 18 §3: one quick run of `make bench-http` prints every figure it promises."""
    need(shutil.which("taskset") is not None and len(os.sched_getaffinity(0)) >= 2, "taskset et deux cœurs requis")
    environment = {k: v for k, v in os.environ.items() if k not in {"BENCH_STACK", "DJANGO_SETTINGS_MODULE"}}
    run = subprocess.run(
        [str(PYTHON), "bench/http_bench.py", "--quick"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    missing = [pattern for pattern in EXPECTED if not re.search(pattern, run.stdout, re.M)]
    assert not missing, (missing, run.stdout)
