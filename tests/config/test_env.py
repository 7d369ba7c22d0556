"""SPEC §4 "Configuration by environment": django-environ's reading with the project's rules,
and EMAIL_URL (R-EMAIL-3) as README promises it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_settings, env

ROOT = Path(__file__).resolve().parents[2]


def test_a_blank_variable_takes_its_default(monkeypatch):
    # SECURE_COOKIES= in a unit file must not turn the Secure flag off.
    monkeypatch.setenv("ESPACE_TEST_FLAG", "  ")
    assert env.bool("ESPACE_TEST_FLAG", default=True) is True
    monkeypatch.setenv("ESPACE_TEST_FLAG", " 0 ")
    assert env.bool("ESPACE_TEST_FLAG", default=True) is False


@pytest.mark.parametrize("raw", ["1", "true", "Oui", "yes", "on"])
def test_true_values_french_included(monkeypatch, raw):
    monkeypatch.setenv("ESPACE_TEST_FLAG", raw)
    assert env.bool("ESPACE_TEST_FLAG", default=False) is True


def test_a_value_is_taken_as_written_even_with_a_leading_dollar(monkeypatch):
    # A generated SECRET_KEY may begin with "$": it is not the name of another variable.
    monkeypatch.setenv("ESPACE_TEST_TEXT", " $HOME-and-more ")
    assert env.str("ESPACE_TEST_TEXT", default="") == "$HOME-and-more"


def test_list_items_are_stripped_and_blank_ones_dropped(monkeypatch):
    monkeypatch.setenv("ESPACE_TEST_LIST", " a.fr, b.fr ,, ")
    assert env.list("ESPACE_TEST_LIST", default=[]) == ["a.fr", "b.fr"]
    monkeypatch.delenv("ESPACE_TEST_LIST")
    assert env.list("ESPACE_TEST_LIST", default=["x"]) == ["x"]


def test_a_required_variable_missing_stops_the_start(monkeypatch):
    monkeypatch.delenv("ESPACE_TEST_TEXT", raising=False)
    with pytest.raises(ImproperlyConfigured, match="ESPACE_TEST_TEXT"):
        env.str("ESPACE_TEST_TEXT")
    assert env.get_value("ESPACE_TEST_TEXT", cast=int, default="7", parse_default=True) == 7


@pytest.mark.parametrize(
    "url, expected",
    [
        # smtps is TLS from the first byte (port 465), not django-environ's STARTTLS
        ("smtps://mail.example.fr", {"EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False, "EMAIL_PORT": 465}),
        ("smtp+ssl://mail.example.fr", {"EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False, "EMAIL_PORT": 465}),
        ("smtp+tls://mail.example.fr", {"EMAIL_USE_SSL": False, "EMAIL_USE_TLS": True, "EMAIL_PORT": 587}),
        ("smtp://mail.example.fr", {"EMAIL_USE_SSL": False, "EMAIL_USE_TLS": False, "EMAIL_PORT": 25}),
        ("smtp://mail.example.fr", {"EMAIL_HOST_USER": "", "EMAIL_HOST_PASSWORD": ""}),
        ("smtp://mail.example.fr", {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}),
    ],
)
def test_r_email_3_schemes_of_readme(url, expected):
    parsed = email_settings(url)
    assert {key: parsed[key] for key in expected} == expected
    assert "EMAIL_TIMEOUT" not in parsed  # only a URL that says ?timeout= sets it


@pytest.mark.parametrize(
    "url, error",
    [
        ("consolemail://", "schéma inconnu"),  # would print the codes in the logs
        ("smtp://mail.example.fr?timout=5", "option inconnue timout"),
        ("smtp://mail.example.fr?timeout=vite", "nombre de secondes"),
    ],
)
def test_r_email_3_other_schemes_and_options_stop_the_start(url, error):
    with pytest.raises(ValueError, match=error):
        email_settings(url)


def settings_timeout(**variables) -> int:
    """Return EMAIL_TIMEOUT as config.settings computes it for the given environment."""
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL"}}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", **variables)
    probe = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.EMAIL_TIMEOUT))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_r_email_3_email_url_timeout_wins_over_the_default():
    assert settings_timeout(EMAIL_URL="smtp://127.0.0.1:2525?timeout=3") == 3
    assert settings_timeout(EMAIL_URL="smtp://127.0.0.1:2525") == 10
