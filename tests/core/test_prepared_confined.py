"""Prepared queries stay where they were measured to pay (issue 12 item 4): the two space lookups
of every request and the throttle's read. Anything new uses the ORM."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"accounts/selectors.py", "core/prepared.py", "core/throttle.py"}


def imports_prepared(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(alias.name == "core.prepared" for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom):
            if node.module == "core.prepared" or (
                node.module == "core" and any(alias.name == "prepared" for alias in node.names)
            ):
                return True
    return False


def product_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "var", "node_modules"} or relative.parts[0].startswith("."):
            continue
        yield relative.as_posix(), path


def test_only_the_two_selectors_and_the_throttle_import_core_prepared():
    users = {name for name, path in product_files() if imports_prepared(ast.parse(path.read_text(), filename=name))}
    assert users <= ALLOWED, f"core.prepared importé hors des sélecteurs mesurés : {sorted(users - ALLOWED)}"
    assert {"accounts/selectors.py", "core/throttle.py"} <= users  # the check sees real imports


def test_the_check_sees_both_spellings_of_the_import():
    assert imports_prepared(ast.parse("from core import clock, prepared"))
    assert imports_prepared(ast.parse("import core.prepared"))
    assert imports_prepared(ast.parse("from core.prepared import Prepared"))
    assert not imports_prepared(ast.parse("from core import clock"))
