"""Parse EMAIL_URL into Django's EMAIL_* settings (R-EMAIL-3).

Pure module: imported by settings, so it must not import Django.
"""

from urllib.parse import parse_qs, unquote, urlsplit

SCHEMES = {
    "smtp": {"EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False},
    "smtp+tls": {"EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
    "smtps": {"EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True},
    "smtp+ssl": {"EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True},
}
DEFAULT_PORTS = {"smtp": 25, "smtp+tls": 587, "smtps": 465, "smtp+ssl": 465}


def parse_email_url(url: str) -> dict:
    """Return the EMAIL_* settings described by url, e.g. ``smtp+tls://user:pass@host:587``.

    Raise ValueError for an unknown scheme or a missing host, so that a typo in the
    deployment stops the start-up instead of silently keeping mails in the outbox.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(f"EMAIL_URL : schéma inconnu {parts.scheme!r} (smtp, smtp+tls, smtps)")
    if not parts.hostname:
        raise ValueError("EMAIL_URL : hôte manquant")
    settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or DEFAULT_PORTS[scheme],
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        **SCHEMES[scheme],
    }
    query = parse_qs(parts.query)
    if "timeout" in query:
        settings["EMAIL_TIMEOUT"] = int(query["timeout"][0])
    return settings
