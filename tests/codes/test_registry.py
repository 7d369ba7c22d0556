"""The registry of request kinds (issue 12 item 2): declared by their apps, checked at start-up."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from accounts.kinds import Kind
from codes import channels, registry, requests
from codes.models import PendingRequest
from core import clock

CODES_DIR = Path(__file__).resolve().parents[2] / "codes"


def declaration(**overrides) -> dict:
    values = {
        "name": "essai",
        "label": "Essai",
        "life": "ACTIVATION_CODE_TTL",
        "channel": "email",
        "holds_email": False,
        "available": registry.always_available,
        "message": "activation",
    }
    return {**values, **overrides}


@pytest.fixture
def register():
    """Register kinds for one test; forget them after it."""
    names = []

    def _register(**overrides):
        kind = registry.register(**declaration(**overrides))
        names.append(kind.name)
        return kind

    yield _register
    for name in names:
        registry.unregister(name)


def test_accounts_kinds_keep_their_stored_names_and_rules():
    """The values already in espace_pendingrequest.kind are the registry's names, unchanged."""
    assert {name for name, _ in registry.choices()} >= {
        "creation",
        "email_change",
        "option",
        "password_reset",
        "option_recovery",
    }
    # J2 applies these only (accounts' first, R-ADH-4's company email among them)
    assert registry.activatable() == ["creation", "email_change", "option", "company_email", "adhesion", "substitution", "dossier_email"]
    # R-ENT-1: the company's new address, 48 h, matched with the requester's login
    dossier_email = registry.get("dossier_email")
    assert dossier_email.ttl == timedelta(hours=48) and dossier_email.matched_with_login
    assert not dossier_email.holds_email and not dossier_email.replaces_previous  # one per dossier: its service replaces
    company = registry.get(Kind.COMPANY_EMAIL)
    assert company.ttl == timedelta(hours=72) and company.channel == "email" and not company.holds_email
    # Sent elsewhere than the login, matched with it: it moves with the login, as a letter does.
    assert company.matched_with_login and registry.get("adhesion").matched_with_login
    assert not registry.get("creation").matched_with_login
    creation, reset = registry.get("creation"), registry.get(Kind.PASSWORD_RESET)
    assert creation.ttl == timedelta(hours=48) and creation.holds_email and not creation.replaces_previous
    assert reset.ttl == timedelta(hours=1) and not reset.holds_email and reset.replaces_previous
    assert reset.apply is None and reset.max_attempts == 3
    assert type(creation.name) is str  # an enum member is stored as its plain value


def test_a_kind_read_its_life_from_settings_when_used(settings, register):
    kind = register(life="RESET_CODE_TTL")
    settings.RESET_CODE_TTL = timedelta(minutes=5)
    assert kind.ttl == timedelta(minutes=5)
    assert register(name="essai_fixe", life=timedelta(days=3), attempts=2).ttl == timedelta(days=3)
    assert registry.get("essai_fixe").max_attempts == 2


def test_registering_a_name_twice_raises(register):
    register()
    with pytest.raises(ImproperlyConfigured, match="registered already"):
        registry.register(**declaration())
    with pytest.raises(ImproperlyConfigured, match="registered already"):
        registry.register(**declaration(name="creation"))  # accounts' own


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"name": "Essai"}, "lowercase"),
        ({"name": "a" * 21}, "lowercase"),  # PendingRequest.kind holds 20 characters
        ({"channel": "pigeon"}, "channel"),
        ({"life": "NO_SUCH_SETTING"}, "timedelta"),
        ({"life": "PASSWORD_MIN_LENGTH"}, "timedelta"),
        ({"apply": lambda pending, payload, now: None}, "together"),
        ({"done_template": "espace/option/done.html"}, "together"),
    ],
)
def test_a_bad_declaration_stops_the_start_up(overrides, error):
    with pytest.raises(ImproperlyConfigured, match=error):
        registry.register(**declaration(**overrides))
    assert "essai" not in dict(registry.choices())


def test_declarations_are_keyword_arguments_and_complete():
    with pytest.raises(TypeError):
        registry.register(**declaration(colour="bleu"))  # no such property of a kind
    incomplete = declaration()
    del incomplete["message"]
    with pytest.raises(TypeError):
        registry.register(**incomplete)
    with pytest.raises(TypeError):
        registry.RequestKind("essai", "Essai", "ACTIVATION_CODE_TTL", "email", False, registry.always_available, "x")


def test_an_unknown_kind_raises_at_lookup():
    with pytest.raises(registry.UnknownKind):
        registry.get("inconnu")
    with pytest.raises(registry.UnknownKind):
        registry.unregister("inconnu")
    with pytest.raises(registry.UnknownKind):
        requests.check_available("inconnu", "a@exemple.fr", clock.now())


@pytest.mark.django_db
def test_an_unknown_kind_opens_no_request_and_is_not_a_valid_choice():
    with pytest.raises(registry.UnknownKind):
        requests.open_request(kind="inconnu", email="a@exemple.fr", payload={}, now=clock.now())
    assert not PendingRequest.objects.exists()
    now = clock.now()
    row = PendingRequest(kind="inconnu", email="a@exemple.fr", code_hash="x" * 64, created_at=now, expires_at=now)
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "kind" in refused.value.message_dict
    row.kind = "creation"
    row.clean_fields(exclude=["held_email", "payload", "space", "used_at"])  # the registry's names are the choices


def test_channels_are_provided_once_each():
    assert isinstance(channels.get("post"), channels.Post)
    assert channels.get("email").__class__.__name__ == "EmailChannel"  # provided by accounts
    with pytest.raises(ImproperlyConfigured, match="provided already"):
        channels.provide("post", channels.Post())
    with pytest.raises(ImproperlyConfigured, match="not one of"):
        channels.provide("fax", channels.Post())
    with pytest.raises(ImproperlyConfigured, match="No app provides"):
        channels.get("fax")


def test_codes_imports_nothing_from_accounts():
    """codes sits below accounts (docs/architecture.md): the kinds come to it, not the reverse."""
    offenders = []
    for path in CODES_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "accounts"]
    assert offenders == []


def test_the_apps_declare_their_kinds_and_channels_once_though_ready_runs_again():
    from django.apps import apps

    apps.get_app_config("espace").ready()
    apps.get_app_config("codes").ready()
    assert registry.get("creation") and isinstance(channels.get("post"), channels.Post)
