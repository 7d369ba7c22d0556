"""Access decorators in one module (accounts.decorators), and no flow that needs the middleware."""

import ast
from pathlib import Path

import pytest
from accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY
from core import clock
from tests.factories import SpaceFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_flow_imports_the_middleware():
    # The session keys a login writes live in accounts.sessions, which the middleware reads too.
    flows = sorted((ROOT / "accounts" / "flows").glob("*.py"))
    assert flows
    for path in flows:
        assert "accounts.middleware" not in imported_modules(path), path.name


def test_views_take_their_access_decorators_from_accounts_decorators():
    for path in sorted((ROOT / "accounts" / "views").glob("*.py")):
        assert not {"accounts.views.home", "accounts.middleware"} & imported_modules(path), path.name
        assert "def space_required" not in path.read_text() and "def certificate_required" not in path.read_text()


def test_space_required_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/espace/gerer")
    assert response.status_code == 302 and response["Location"] == "/"


def test_j8_certificate_required_sends_a_password_space_home(client):
    client.force_login(SpaceFactory())
    session = client.session
    session[AUTH_AT_KEY] = session[SEEN_AT_KEY] = clock.now().timestamp()
    session.save()
    response = client.get("/espace/option-sans-certificat")
    assert response.status_code == 302 and response["Location"] == "/espace"
