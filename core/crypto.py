"""Secrets at rest in an outbox (an email's body, a letter's context hold codes): Fernet.

Each outbox has a key of its own, derived from SECRET_KEY with HKDF under the outbox's
``purpose``: what is stored cannot be read without SECRET_KEY, and one outbox's key opens no
other's. Fernet authenticates as it encrypts: a changed blob fails to open, never opens to
something else.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=8)
def _fernet(secret_key: str, purpose: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(text: str, *, purpose: bytes) -> str:
    """Return text encrypted under the key of purpose (ASCII, for a text column)."""
    return _fernet(settings.SECRET_KEY, purpose).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str, *, purpose: bytes) -> str:
    """Return the clear text of token, encrypted by ``encrypt`` under the same purpose."""
    return _fernet(settings.SECRET_KEY, purpose).decrypt(token.encode("ascii")).decode("utf-8")
