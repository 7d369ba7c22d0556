"""Activation codes (R-CODE-1): 12 characters of [A-Za-z0-9] drawn with secrets, stored hashed."""

import re
import secrets
import string

from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = string.ascii_letters + string.digits
LENGTH = 12
CODE_RE = re.compile(r"^[A-Za-z0-9]{12}$")


def generate() -> str:
    """Return a new code: 62^12 ≈ 2^71 possibilities."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def digest(code: str) -> str:
    """Return the stored form of a code: HMAC-SHA256 keyed with SECRET_KEY (Django's salted_hmac).

    A fast keyed hash is enough here: 71 bits cannot be brute-forced online (codes die
    after 48 h and attempts are throttled), and without SECRET_KEY a stolen table gives
    nothing to try offline. Being deterministic, it lets us find a request by its code.
    """
    return salted_hmac("espace.codes", code, algorithm="sha256").hexdigest()


def well_formed(code: str) -> bool:
    return bool(CODE_RE.match(code or ""))


def matches(code: str, kept: str | None) -> bool:
    """Return whether code is the one whose digest a session kept (step 1 of J2, step 2 of J5)."""
    return bool(kept) and well_formed(code) and constant_time_compare(digest(code), kept)
