"""Read configuration from the environment (SPEC §4 "Configuration by environment")."""

import os


def flag(name: str, default: bool = False) -> bool:
    """Return the boolean value of an environment variable ("1", "true", "oui"...)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on", "oui"}


def text(name: str, default: str = "") -> str:
    """Return the stripped value of an environment variable, or default."""
    raw = os.environ.get(name)
    return raw.strip() if raw and raw.strip() else default


def items(name: str, default: str = "") -> list[str]:
    """Return a comma-separated environment variable as a list of non-empty items."""
    return [part.strip() for part in text(name, default).split(",") if part.strip()]
