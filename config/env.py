"""Read configuration from the environment (SPEC §4 "Configuration by environment").

django-environ does the reading and the casting (``env.bool``, ``env.str``, ``env.int``,
``env.list``) and splits ``EMAIL_URL``; this module adds the project's own rules on top:

- a variable set but blank (``SECURE_COOKIES=`` in a unit file) is not set: its default
  applies. Read as django-environ reads it, a blank SECURE_COOKIES would be false, and the
  cookies would lose their Secure flag;
- values, and the items of a list, are stripped;
- a value is taken as written: django-environ's ``$OTHER_VARIABLE`` proxies are off, since a
  generated SECRET_KEY may begin with "$" and would silently become another variable's value;
- "oui" is true, besides django-environ's "1", "true", "yes", "on"...
"""

import json
import os
from urllib.parse import urlparse

import environ


class Env(environ.Env):
    """django-environ's reader with the rules above."""

    BOOLEAN_TRUE_STRINGS = (*environ.Env.BOOLEAN_TRUE_STRINGS, "oui")

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        """Return var's stripped value cast by cast, or default when var is unset or blank."""
        raw = os.environ.get(var, "").strip()
        if raw:
            return self.parse_value(raw, cast)
        if default is self.NOTSET:
            raise environ.ImproperlyConfigured(f"La variable d'environnement {var} doit être définie.")
        return self.parse_value(default, cast) if parse_default else default

    @classmethod
    def parse_value(cls, value, cast):
        if cast is list:  # "a, b," -> ["a", "b"]: items stripped, blank ones dropped
            return [item.strip() for item in value.split(",") if item.strip()]
        return super().parse_value(value, cast)


env = Env()  # settings read env.bool("DEBUG"), env.str("SECRET_KEY", default="")...


# The EMAIL_URL schemes README promises, with the port each implies. "smtps" is TLS from the
# first byte (port 465, RFC 8314), as mail software reads it and as this product always has;
# django-environ reads it as STARTTLS, which against a port-465 server hangs until the
# timeout, every mail waiting: it is handed over as django-environ's "smtp+ssl".
EMAIL_SCHEMES = {"smtp": 25, "smtp+tls": 587, "smtps": 465, "smtp+ssl": 465}
EMAIL_SCHEME_ALIASES = {"smtps": "smtp+ssl"}
EMAIL_OPTIONS = {"TIMEOUT": "EMAIL_TIMEOUT"}  # ?timeout=N, seconds


def email_settings(url: str) -> dict:
    """Return the EMAIL_* settings of url, e.g. ``smtp+tls://user:p%40ss@host:587?timeout=5``
    (R-EMAIL-3). EMAIL_TIMEOUT is in the answer only when url gives one.

    Raise ValueError for a scheme other than SMTP's, a missing host or an unknown option, so
    that a typo in the deployment stops the start-up instead of silently keeping the mails in
    the outbox (or, with a console scheme, printing codes in the logs).
    """
    parts = urlparse(url)
    if parts.scheme not in EMAIL_SCHEMES:
        raise ValueError(f"EMAIL_URL : schéma inconnu {parts.scheme!r} ({', '.join(EMAIL_SCHEMES)})")
    if not parts.hostname:
        raise ValueError("EMAIL_URL : hôte manquant")
    parsed = Env.email_url_config(parts._replace(scheme=EMAIL_SCHEME_ALIASES.get(parts.scheme, parts.scheme)))
    options = parsed.get("OPTIONS", {})
    unknown = sorted(set(options) - set(EMAIL_OPTIONS))
    if unknown:
        raise ValueError(f"EMAIL_URL : option inconnue {', '.join(name.lower() for name in unknown)} (timeout)")
    settings = {
        "EMAIL_BACKEND": parsed["EMAIL_BACKEND"],
        "EMAIL_HOST": parsed["EMAIL_HOST"],
        "EMAIL_PORT": parsed["EMAIL_PORT"] or EMAIL_SCHEMES[parts.scheme],
        "EMAIL_HOST_USER": parsed["EMAIL_HOST_USER"] or "",
        "EMAIL_HOST_PASSWORD": parsed["EMAIL_HOST_PASSWORD"] or "",
        "EMAIL_USE_TLS": parsed.get("EMAIL_USE_TLS", False),
        "EMAIL_USE_SSL": parsed.get("EMAIL_USE_SSL", False),
    }
    for option, setting in EMAIL_OPTIONS.items():
        if option in options:
            try:
                settings[setting] = int(options[option])
            except ValueError as error:
                raise ValueError(f"EMAIL_URL : {option.lower()} doit être un nombre de secondes") from error
    return settings


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


def _unreadable_reason(error: Exception) -> str:
    """Say in French why a file could not be read (the system's strerror is English)."""
    if isinstance(error, FileNotFoundError):
        return "fichier introuvable"
    if isinstance(error, IsADirectoryError):
        return "c'est un dossier"
    if isinstance(error, PermissionError):
        return "accès refusé"
    if isinstance(error, UnicodeDecodeError):
        return "il n'est pas encodé en UTF-8"
    return "erreur de lecture"


def service_urls(value: str) -> dict[str, str]:
    """Read SERVICE_URLS (R-CAT-1): a JSON object, or the path of a file holding one.

    Each key is a catalogue code, each value an absolute http(s) address; anything else
    stops the start-up with a French message rather than a link that leads nowhere.
    """
    if not value:
        return {}
    text = value
    if not value.lstrip().startswith(("{", "[")):  # JSON inline (an array is refused below), else a path
        try:
            with open(value, encoding="utf-8") as file:
                text = file.read()
        except (OSError, UnicodeDecodeError) as error:
            raise environ.ImproperlyConfigured(
                f"SERVICE_URLS : le fichier {value} est illisible ({_unreadable_reason(error)})."
            ) from None
    try:
        urls = json.loads(text)
    except ValueError:
        raise environ.ImproperlyConfigured("SERVICE_URLS doit être un objet JSON {\"code\": \"https://…\"}.") from None
    if not isinstance(urls, dict):
        raise environ.ImproperlyConfigured("SERVICE_URLS doit être un objet JSON {\"code\": \"https://…\"}.")
    for code, url in urls.items():
        parsed = urlparse(url) if isinstance(url, str) else None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise environ.ImproperlyConfigured(f"SERVICE_URLS : l'adresse du service {code} n'est pas une adresse http(s).")
    return urls
