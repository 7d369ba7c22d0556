"""Write emails to the outbox inside the caller's transaction (R-EMAIL-2)."""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from core import clock
from mailer.models import OutboxEmail


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    # A key of its own, derived from SECRET_KEY: the outbox cannot be read without it.
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"espacepro-outbox").derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(text: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_body(email: OutboxEmail) -> str:
    """Return the clear body of email ("" once delivered and wiped)."""
    if not email.body_encrypted:
        return ""
    return _fernet(settings.SECRET_KEY).decrypt(email.body_encrypted.encode("ascii")).decode("utf-8")


def enqueue(*, to: str, subject: str, body: str) -> OutboxEmail:
    """Queue an email. Call it in the transaction of the change that causes it: if that
    transaction rolls back, the row goes with it and nothing is ever sent."""
    now = clock.now()
    return OutboxEmail.objects.create(
        to=to, subject=subject, body_encrypted=encrypt(body), created_at=now, next_attempt_at=now
    )
