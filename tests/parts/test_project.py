"""The project as a whole: migrations match the models, settings refuse a bad deployment."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_production_settings_need_a_secret_key():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY doit être défini" in result.stderr


def test_no_stub_wording_in_shipped_templates():
    shipped = [path for path in ROOT.glob("*/templates/**/*.html") if path.relative_to(ROOT).parts[0] != "bench"]
    assert len(shipped) > 30  # every app's templates (the layout moved them out of espace/)
    for template in shipped:
        text = template.read_text(encoding="utf-8").lower()
        assert "à venir" not in text and 'href="#"' not in text, template
