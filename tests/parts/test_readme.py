"""Issue 13 item 9: the README's configuration table is whole and true for a newcomer."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def configuration_table() -> list[str]:
    """Return the rows of the table under "## Configuration", up to the first non-table line."""
    section = README.split("## Configuration", 1)[1]
    lines = section[section.index("| variable |") :].splitlines()
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows[2:]  # past the header and its rule


def test_the_configuration_table_is_whole_and_names_each_variable_once():
    names = [re.match(r"\| `([A-Z0-9_]+)` \|", row).group(1) for row in configuration_table()]
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)
    # Every variable the settings, gunicorn and bin/serve read is in that one table.
    sources = [ROOT / "config" / "settings.py", ROOT / "bin" / "gunicorn.conf.py", ROOT / "bin" / "serve"]
    read = set()
    for source in sources:
        text = source.read_text()
        read |= set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', text))  # env.text("X"), env("X")…
        read |= set(re.findall(r'environ\.get\("([A-Z0-9_]+)"', text))
        read |= set(re.findall(r"\$\{([A-Z0-9_]+):-", text))
    assert read - set(names) == set(), "absent du tableau : " + ", ".join(sorted(read - set(names)))
    assert "not built yet" not in README


def test_the_readme_tells_a_newcomer_what_the_brief_asked():
    for needed in (
        "CSRF_TRUSTED_ORIGINS=https://localhost:8443",  # the certificate trial behind nginx
        "faketime -f +1040d bin/serve",  # J6 with a moved clock
        "`make clean`",  # starting the demo again
        "987 654 324",  # a SIREN of the demo register
        "Ctrl-C stops everything",
        "**Set it in production.**",  # SITE_DOMAIN
    ):
        assert needed in README, needed
