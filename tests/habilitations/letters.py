"""Reading the letters a test's requests posted (R-ADH-3): their codes, as a person would."""

import re
from pathlib import Path

CODE_RE = re.compile(r"^([A-Za-z0-9]{12})$", re.M)


def letters_in(spool: Path) -> list[Path]:
    return sorted(spool.glob("*.txt")) if spool.exists() else []


def last_code(spool: Path) -> str:
    """Return the code of the last letter written to spool."""
    text = letters_in(spool)[-1].read_text(encoding="utf-8")
    return CODE_RE.search(text).group(1)
