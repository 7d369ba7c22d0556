"""Write emails to the outbox inside the caller's transaction (R-EMAIL-2)."""

from core import clock, crypto
from mailer.models import OutboxEmail

# The outbox's own key, derived from SECRET_KEY (core.crypto): it cannot be read without it.
PURPOSE = b"espacepro-outbox"


def encrypt(text: str) -> str:
    return crypto.encrypt(text, purpose=PURPOSE)


def decrypt_body(email: OutboxEmail) -> str:
    """Return the clear body of email ("" once delivered and wiped)."""
    if not email.body_encrypted:
        return ""
    return crypto.decrypt(email.body_encrypted, purpose=PURPOSE)


def enqueue(*, to: str, subject: str, body: str) -> OutboxEmail:
    """Queue an email. Call it in the transaction of the change that causes it: if that
    transaction rolls back, the row goes with it and nothing is ever sent."""
    now = clock.now()
    return OutboxEmail.objects.create(
        to=to, subject=subject, body_encrypted=encrypt(body), created_at=now, next_attempt_at=now
    )
