"""The layers of docs/architecture.md, read from the source: every import statement of every
product module (migrations aside), at the top of a module or inside a function, absolute or
relative. Nothing is imported to check it, so a violation is found even in code no test runs.

- each app imports only the apps MAY_IMPORT gives it (core: none; the side apps: core;
  codes: core and the side apps; accounts: core, codes, the side apps and SPEC §5's apps
  to come; config: any), and every app of the product has its line there;
- no import cycle between modules of the product;
- no service (a module under `services/`, `services.py`, `selectors.py`) imports a forms or
  views module; no flow (`flows/`, `flows.py`) imports a middleware module;
- no module of tests/ imports a test module (shared helpers live in modules that are not tests).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SIDE_APPS = frozenset({"antirobot", "mailer", "recapitulatif", "registre"})
# Which other apps of the product each app may import (docs/architecture.md, "Who imports whom").
# catalogue, dossiers and habilitations (SPEC §5) are not built yet: their lines say where they
# will stand. Another new app gets its line here before its first import.
MAY_IMPORT = {
    "core": frozenset(),
    **{app: frozenset({"core"}) for app in SIDE_APPS},
    "codes": frozenset({"core"}) | SIDE_APPS,
    "catalogue": frozenset({"core"}),
    "dossiers": frozenset({"core", "codes", "catalogue"}) | SIDE_APPS,
    "habilitations": frozenset({"core", "codes", "catalogue", "dossiers"}) | SIDE_APPS,
    "entreprise": frozenset({"core", "codes", "catalogue", "dossiers", "habilitations"}) | SIDE_APPS,
    "accounts": frozenset({"core", "codes", "catalogue", "dossiers", "habilitations", "entreprise"}) | SIDE_APPS,
    "assistance": frozenset({"core", "codes", "catalogue", "dossiers", "habilitations", "accounts", "entreprise"})
    | SIDE_APPS,
}
MAY_IMPORT["config"] = frozenset(MAY_IMPORT)  # settings and URLs assemble every app

# Today's violations, each being removed on another branch of issue 12; the list is emptied as
# those branches merge. An entry that no longer happens fails the test too, so it cannot linger.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {}
KNOWN_CYCLES: dict[frozenset, str] = {}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def product_apps(root: Path = ROOT) -> set[str]:
    """Return the top-level packages of the product (every package of the root but tests/ and
    deploy/, the operators' tooling: nginx.conf and `make cluster`, which runs the product
    from outside and is imported by tests only)."""
    return {path.parent.name for path in root.glob("*/__init__.py")} - {"tests", "deploy"}


def modules_of(packages, root: Path = ROOT) -> dict[str, Path]:
    """Return {dotted name: path} of every Python module of packages, migrations excluded."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" not in path.relative_to(root).parts:
                found[module_name(path, root)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """Return what module name imports, each import resolved to the module it loads: for
    `from package import thing`, package.thing when that is a module, else package."""
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend(Import(name, alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package of this module, level - 1 further up
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(package + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.append(Import(name, target if target in known else base, node.lineno))
    return found


def import_graph(modules: dict[str, Path], apps: set[str]) -> list[Import]:
    """Return every import between modules of the product (imports of Django and libraries
    aside)."""
    known = set(modules)
    return [
        found
        for name, path in modules.items()
        for found in imports_of(name, path, known)
        if found.imported.split(".")[0] in apps and found.imported != name
    ]


def app(module: str) -> str:
    return module.split(".")[0]


def is_service(module: str) -> bool:
    parts = module.split(".")
    return "services" in parts or parts[-1] == "selectors"


def is_flow(module: str) -> bool:
    return "flows" in module.split(".")


def layer_violations(edges: list[Import]) -> dict[tuple[str, str], Import]:
    """Return the imports that break a rule of the layers, keyed by (importer, imported)."""
    broken = {}
    for edge in edges:
        source, target = edge.importer, edge.imported
        parts = target.split(".")
        if app(source) != app(target) and app(target) not in MAY_IMPORT[app(source)]:
            broken[(source, target)] = edge
        if is_service(source) and ("forms" in parts or "views" in parts):
            broken[(source, target)] = edge
        if is_flow(source) and "middleware" in parts:
            broken[(source, target)] = edge
    return broken


def cycles(edges: list[Import]) -> set[frozenset[str]]:
    """Return the import cycles: the strongly connected components of more than one module
    (Tarjan's algorithm, iterative)."""
    graph: dict[str, set[str]] = {}
    for edge in edges:
        graph.setdefault(edge.importer, set()).add(edge.imported)
        graph.setdefault(edge.imported, set())
    index, low, on_stack, stack, found = {}, {}, set(), [], set()
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.add(frozenset(component))
    return found


@pytest.fixture(scope="module")
def edges():
    apps = product_apps()
    return import_graph(modules_of(apps), apps)


def describe(violations) -> str:
    return "\n".join(f"{edge.importer} (ligne {edge.line}) importe {edge.imported}" for edge in violations)


def test_no_app_of_the_product_imports_the_deploy_tooling():
    modules = modules_of(product_apps())
    known = set(modules) | set(modules_of(["deploy"]))
    found = [i for name, path in modules.items() for i in imports_of(name, path, known) if app(i.imported) == "deploy"]
    assert found == [], describe(found)


def test_every_app_of_the_product_has_its_place_in_the_layers():
    missing = product_apps() - set(MAY_IMPORT)
    assert not missing, f"sans ligne dans MAY_IMPORT (docs/architecture.md) : {sorted(missing)}"
    assert {"core", "accounts", "codes", "config"} | SIDE_APPS <= product_apps()


def test_the_reading_sees_the_imports_of_the_product(edges):
    """The check is not vacuous: it sees imports at the top, in functions and relative ones."""
    seen = {(edge.importer, edge.imported) for edge in edges}
    assert ("accounts.flows.login", "core.guard") in seen  # from core import guard
    assert ("accounts.views.registration", "accounts.flows.registration") in seen
    assert ("recapitulatif", "recapitulatif.pdf") in seen
    assert len(seen) > 150


def test_layers_core_side_apps_codes_accounts_import_only_below(edges):
    broken = layer_violations(edges)
    new = [edge for key, edge in sorted(broken.items()) if key not in KNOWN_VIOLATIONS]
    assert not new, "importations interdites par docs/architecture.md :\n" + describe(new)
    stale = sorted(set(KNOWN_VIOLATIONS) - set(broken))
    assert not stale, f"corrigées : retirer de KNOWN_VIOLATIONS {stale}"


def test_no_import_cycle_between_modules_of_the_product(edges):
    found = cycles(edges)
    new = [sorted(cycle) for cycle in found if cycle not in KNOWN_CYCLES]
    assert not new, f"cycles d'importations : {new}"
    stale = [sorted(cycle) for cycle in KNOWN_CYCLES if cycle not in found]
    assert not stale, f"corrigés : retirer de KNOWN_CYCLES {stale}"


def test_no_test_module_imports_another_test_module():
    modules = modules_of(["tests"])
    test_modules = {name for name in modules if name.split(".")[-1].startswith("test_")}
    offending = [
        found
        for name, path in modules.items()
        for found in imports_of(name, path, set(modules))
        if found.imported in test_modules or found.imported.split(".")[-1].startswith("test_")
    ]
    assert not offending, "helpers partagés hors des modules de test :\n" + describe(offending)


# --- the checks themselves, on made-up modules ---------------------------------------------------


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_checks_see_each_kind_of_violation(tmp_path):
    write(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/clock.py": "def now():\n    from accounts import models\n",  # core -> accounts
            "accounts/__init__.py": "",
            "accounts/models.py": "from . import forms\n",  # relative, and a cycle with forms
            "accounts/forms.py": "from .models import Space\n",
            "accounts/services/__init__.py": "",
            "accounts/services/spaces.py": "from ..views import home\n",  # service -> view
            "accounts/views/__init__.py": "",
            "accounts/views/home.py": "import core.clock\n",
            "accounts/flows/login.py": "from accounts.middleware import KEY\n",  # flow -> middleware
            "accounts/middleware.py": "",
            "accounts/migrations/0001_initial.py": "import codes\n",  # not read
        },
    )
    apps = product_apps(tmp_path)
    assert apps == {"core", "accounts"}
    edges = import_graph(modules_of(apps, tmp_path), apps)
    assert set(layer_violations(edges)) == {
        ("core.clock", "accounts.models"),
        ("accounts.services.spaces", "accounts.views.home"),
        ("accounts.flows.login", "accounts.middleware"),
    }
    assert cycles(edges) == {frozenset({"accounts.models", "accounts.forms"})}
