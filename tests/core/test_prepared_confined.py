"""core.prepared stays where it was measured to pay (issue 12 item 4): `Prepared` for the two space
lookups of every request and the throttle's read, `insert` for the audit event and a new
database session. Anything new uses the ORM."""

import ast
from pathlib import Path

from django.contrib.sessions.models import Session
from django.db.models import signals

from core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {
    "accounts/selectors.py": {"Prepared"},
    "core/throttle.py": {"Prepared"},
    "core/audit.py": {"insert"},
    "core/sessions/db.py": {"insert"},
}


def names_used(tree: ast.AST) -> set[str]:
    """The names of core.prepared a module uses: imported from it, or read as prepared.NAME."""
    used, aliases = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "core.prepared":
            used |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module == "core":
            aliases |= {alias.asname or alias.name for alias in node.names if alias.name == "prepared"}
        elif isinstance(node, ast.Import):
            if any(alias.name == "core.prepared" for alias in node.names):
                used.add("*")  # `import core.prepared`: spelled as the others are, please
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            used.add(node.attr)
    return used | ({"*"} if aliases and not used else set())


def product_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", "var", "node_modules"} or relative.parts[0].startswith("."):
            continue
        if relative.as_posix() != "core/prepared.py":
            yield relative.as_posix(), path


def test_core_prepared_is_used_only_where_it_was_measured():
    users = {}
    for name, path in product_files():
        used = names_used(ast.parse(path.read_text(), filename=name))
        if used:
            users[name] = used
    outside = {name: used for name, used in users.items() if not used <= ALLOWED.get(name, set())}
    assert not outside, f"core.prepared utilisé hors des requêtes mesurées : {outside}"
    assert users == ALLOWED  # the check sees the real uses


def test_the_check_sees_every_spelling_of_a_use():
    assert names_used(ast.parse("from core import clock, prepared\nprepared.insert(x)")) == {"insert"}
    assert names_used(ast.parse("from core import prepared as p\np.Prepared(f)")) == {"Prepared"}
    assert names_used(ast.parse("from core.prepared import Prepared")) == {"Prepared"}
    assert names_used(ast.parse("import core.prepared")) == {"*"}
    assert names_used(ast.parse("from core import prepared")) == {"*"}
    assert names_used(ast.parse("from core import clock")) == set()


def test_nothing_listens_to_the_saves_prepared_inserts_skip():
    """prepared.insert writes the audit event and a new session without Model.save(): no signal
    is sent. A receiver added for those models would silently miss every login."""
    for model in (AuditEvent, Session):
        for signal in (signals.pre_save, signals.post_save):
            assert not signal.has_listeners(model), f"{signal} a un récepteur pour {model.__name__}"
