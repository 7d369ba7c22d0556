"""J6 "Historique de sécurité" (a space's own security events) and `manage.py purge_audit`."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest

from accounts import events as accounts_events
from codes import events as codes_events
from django.core.management import call_command

from core.models import AuditEvent
from accounts.selectors import browser_name, kind_label
from tests.accounts import journey
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db
EMAIL = "lila@exemple.fr"
NOW = datetime(2027, 6, 1, 10, 0, tzinfo=UTC)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def logged_in(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    space = SpaceFactory(login_email=EMAIL)
    client.defaults["HTTP_USER_AGENT"] = FIREFOX
    assert journey.login(client, EMAIL)["Location"] == "/espace"
    return space


def event(space, kind, at, **extra):
    return AuditEvent.objects.create(at=at, kind=kind, space=space, ip="203.0.113.7", user_agent=FIREFOX, **extra)


def test_history_shows_the_last_90_days_newest_first_in_french(client, logged_in):
    event(logged_in, "accounts.login_failed", NOW - timedelta(days=89), email=EMAIL)
    event(logged_in, "codes.activation_ok", NOW - timedelta(days=91))
    page = client.get("/espace/historique")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert "Connexion réussie" in html and "Connexion refusée" in html
    assert "Activation réussie" not in html  # 91 days ago
    assert html.index("Connexion réussie") < html.index("Connexion refusée")  # newest first
    assert "01/06/2027 à 12:00" in html  # Paris time (UTC+2 in June)
    assert "04/03/2027 à 11:00" in html  # UTC+1 in March
    assert "Firefox sous Linux" in html and "203.0.113.7" in html


def test_history_never_shows_another_spaces_events_nor_the_detail(client, logged_in):
    other = SpaceFactory(login_email="autre@exemple.fr")
    event(other, "accounts.recap_downloaded", NOW)
    event(logged_in, "accounts.login_ok", NOW, detail={"method": "secret-detail-value"})
    html = client.get("/espace/historique").content.decode()
    assert "Récapitulatif téléchargé" not in html
    assert "secret-detail-value" not in html


def test_history_is_paginated_and_bad_page_numbers_never_fail(client, logged_in, settings):
    settings.SECURITY_HISTORY_PAGE_SIZE = 5
    for minutes in range(11):
        event(logged_in, "accounts.logout", NOW - timedelta(minutes=minutes + 1))
    first = client.get("/espace/historique").content.decode()
    assert "page 1 sur 3" in first and 'href="?page=2"' in first and "Page précédente" not in first
    last = client.get("/espace/historique?page=3").content.decode()
    assert "page 3 sur 3" in last and 'href="?page=2"' in last and "Page suivante" not in last
    for bad in ("0", "-1", "abc", "9" * 40, "1e9", "\x00", "%00", "<script>"):
        response = client.get("/espace/historique", {"page": bad})
        assert response.status_code == 200, bad


def test_history_empty_and_for_logged_in_spaces_only(client, logged_in):
    AuditEvent.objects.all().delete()
    assert "Aucun événement de sécurité ces 90 derniers jours." in client.get("/espace/historique").content.decode()
    client.post("/deconnexion")
    assert client.get("/espace/historique")["Location"] == "/"


def test_history_entry_in_manage_and_retention_in_privacy_page(client, logged_in):
    assert 'href="/espace/historique">Historique de sécurité</a>' in client.get("/espace/gerer").content.decode()
    assert "365 jours, puis effacés" in client.get("/donnees-personnelles").content.decode()


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (FIREFOX, "Firefox sous Linux"),
        ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0", "Edge sous Windows"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1", "Safari sous iOS"),
        ("curl/8.5.0", "Navigateur inconnu"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)", "macOS"),
        ("", "Navigateur inconnu"),
    ],
)
def test_browser_names(agent, name):
    assert browser_name(agent) == name


def test_every_audit_kind_has_a_french_label_and_unknown_ones_a_neutral_one():
    for events in (accounts_events.Kind, codes_events.Kind):
        for name, value in vars(events).items():
            assert value.count(".") == 1 and kind_label(value) != "Autre événement de sécurité", name
    assert kind_label("accounts.login_ok") == "Connexion réussie"
    assert kind_label("retired_kind") == "Autre événement de sécurité"


def test_purge_audit_deletes_events_older_than_the_retention(time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    space = SpaceFactory(login_email=EMAIL)
    AuditEvent.objects.all().delete()
    kept = event(space, "accounts.login_ok", NOW - timedelta(days=365))
    event(space, "accounts.login_ok", NOW - timedelta(days=365, seconds=1))
    out = StringIO()
    call_command("purge_audit", stdout=out)
    assert list(AuditEvent.objects.all()) == [kept]
    assert "1 événement(s) de plus de 365 jours supprimé(s)" in out.getvalue()
    settings.AUDIT_RETENTION = timedelta(days=30)
    call_command("purge_audit", stdout=StringIO())
    assert not AuditEvent.objects.exists()


def test_audit_retention_reads_the_environment(monkeypatch):
    import importlib

    import config.settings as product_settings

    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "400")
    try:
        assert importlib.reload(product_settings).AUDIT_RETENTION == timedelta(days=400)
    finally:
        monkeypatch.delenv("AUDIT_RETENTION_DAYS")
        importlib.reload(product_settings)
