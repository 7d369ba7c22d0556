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


# The embedded database is shared by the web workers and the mail worker: WAL lets readers
# go on while one writes, a busy timeout makes a writer wait for the lock instead of failing
# at once with "database is locked", and IMMEDIATE transactions take the write lock at BEGIN
# (a deferred transaction that reads then writes cannot wait for it: it fails).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}


def tune_sqlite(databases: dict) -> dict:
    """Give every SQLite entry of databases SQLITE_OPTIONS, however it was named
    (SQLITE_PATH or DATABASE_URL=sqlite:///…); options already given win. Return databases."""
    for database in databases.values():
        if database.get("ENGINE") == "django.db.backends.sqlite3":
            database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    return databases
