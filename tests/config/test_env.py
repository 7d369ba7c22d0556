"""SPEC §4 "Configuration by environment": django-environ's reading with the project's rules,
and EMAIL_URL (R-EMAIL-3) as README promises it."""

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import email_settings, env, service_urls

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


# SERVICE_URLS (R-CAT-1): a JSON object inline or in a file, http(s) addresses only.

SERVICE_URLS_JSON = '{"declarer_tva": "https://tva.exemple.fr/declarer", "payer_tva": "http://10.0.0.5:8080/payer"}'
URLS = {"declarer_tva": "https://tva.exemple.fr/declarer", "payer_tva": "http://10.0.0.5:8080/payer"}


def test_r_cat_1_service_urls_inline_json():
    assert service_urls(SERVICE_URLS_JSON) == URLS
    assert service_urls("  " + SERVICE_URLS_JSON) == URLS  # read as JSON, not as a path
    assert service_urls("{}") == {}


def test_r_cat_1_service_urls_empty_is_none():
    assert service_urls("") == {}


def test_r_cat_1_service_urls_from_a_file(tmp_path):
    path = tmp_path / "services.json"
    path.write_text(SERVICE_URLS_JSON, encoding="utf-8")
    assert service_urls(str(path)) == URLS


@pytest.mark.parametrize(
    "value, error",
    [
        ('{"declarer_tva": "https://tva', "doit être un objet JSON"),
        ('{"declarer_tva": "ftp://tva.exemple.fr"}', "l'adresse du service declarer_tva n'est pas une adresse http(s)"),
        ('{"declarer_tva": "javascript:alert(1)"}', "n'est pas une adresse http(s)"),
        ('{"declarer_tva": "/tva"}', "n'est pas une adresse http(s)"),
        ('{"declarer_tva": "https:///tva"}', "l'adresse du service declarer_tva n'est pas une adresse http(s)"),
        ('{"declarer_tva": "https://"}', "n'est pas une adresse http(s)"),
        ('{"declarer_tva": 42}', "n'est pas une adresse http(s)"),
        ('{"declarer_tva": null}', "n'est pas une adresse http(s)"),
        ('["https://tva.exemple.fr"]', 'SERVICE_URLS doit être un objet JSON {"code": "https://…"}.'),  # not a path
        (' [{"declarer_tva": "https://tva.exemple.fr"}]', "doit être un objet JSON"),
    ],
)
def test_r_cat_1_service_urls_errors_stop_the_start(value, error):
    with pytest.raises(ImproperlyConfigured, match=re.escape(error)):
        service_urls(value)


@pytest.mark.parametrize("content", ["[]", '["https://tva.exemple.fr"]', '"https://tva.exemple.fr"', "42", "null"])
def test_r_cat_1_service_urls_file_not_an_object(tmp_path, content):
    path = tmp_path / "services.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=re.escape('SERVICE_URLS doit être un objet JSON {"code": "https://…"}.')):
        service_urls(str(path))


def test_r_cat_1_service_urls_file_bad_json(tmp_path):
    path = tmp_path / "services.json"
    path.write_text("declarer_tva = https://tva.exemple.fr", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="doit être un objet JSON"):
        service_urls(str(path))
    path.write_bytes(b'{"declarer_tva": "https://t\xe9va.fr"}')  # not UTF-8
    with pytest.raises(ImproperlyConfigured, match="est illisible \\(il n'est pas encodé en UTF-8\\)"):
        service_urls(str(path))


@pytest.mark.parametrize("make, reason", [("missing", "fichier introuvable"), ("directory", "c'est un dossier")])
def test_r_cat_1_service_urls_unreadable_file_in_french(tmp_path, make, reason):
    path = tmp_path / "services.json"
    if make == "directory":
        path.mkdir()
    with pytest.raises(ImproperlyConfigured) as raised:
        service_urls(str(path))
    assert str(raised.value) == f"SERVICE_URLS : le fichier {path} est illisible ({reason})."


@pytest.mark.parametrize(
    "error, reason",
    [(PermissionError(13, "Permission denied"), "accès refusé"), (OSError(5, "Input/output error"), "erreur de lecture")],
)
def test_r_cat_1_service_urls_read_errors_said_in_french(monkeypatch, error, reason):
    """The system's own words (strerror) are English: never in the message. (Tests run as root: open is made to fail.)"""
    import config.env

    def failing_open(*args, **kwargs):
        raise error

    monkeypatch.setattr(config.env, "open", failing_open, raising=False)
    with pytest.raises(ImproperlyConfigured) as raised:
        service_urls("/etc/espace/services.json")
    assert str(raised.value) == f"SERVICE_URLS : le fichier /etc/espace/services.json est illisible ({reason})."


def test_r_cat_1_settings_read_service_urls_from_the_environment():
    from tests.conftest import fresh_settings

    assert fresh_settings(SERVICE_URLS=SERVICE_URLS_JSON).SERVICE_URLS == URLS
    assert fresh_settings(SERVICE_URLS=" ").SERVICE_URLS == {}
