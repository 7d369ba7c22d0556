"""core.crypto: secrets at rest in the outboxes, a key per outbox derived from SECRET_KEY."""

import pytest
from cryptography.fernet import InvalidToken

from core import crypto

SECRET = "Votre code : AbCdEfGhIjKl — accents éàù"


def test_a_text_comes_back_under_its_own_purpose_only():
    token = crypto.encrypt(SECRET, purpose=b"espacepro-letters")
    assert "AbCdEfGhIjKl" not in token and token.isascii()
    assert crypto.decrypt(token, purpose=b"espacepro-letters") == SECRET
    with pytest.raises(InvalidToken):  # the email outbox's key opens no letter
        crypto.decrypt(token, purpose=b"espacepro-outbox")


def test_a_changed_token_or_another_secret_key_opens_nothing(settings):
    token = crypto.encrypt(SECRET, purpose=b"espacepro-letters")
    with pytest.raises(InvalidToken):
        crypto.decrypt(token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"), purpose=b"espacepro-letters")
    settings.SECRET_KEY = "une-autre-clé-" + "y" * 40
    with pytest.raises(InvalidToken):
        crypto.decrypt(token, purpose=b"espacepro-letters")


def test_the_email_outbox_still_reads_what_it_wrote_before_the_helper_moved_to_core():
    """mailer.outbox derives its key as it always did (HKDF info b"espacepro-outbox"): rows
    queued before this change still open."""
    import base64

    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    from django.conf import settings

    from mailer.models import OutboxEmail
    from mailer.outbox import decrypt_body

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"espacepro-outbox").derive(
        settings.SECRET_KEY.encode()
    )
    old = Fernet(base64.urlsafe_b64encode(key)).encrypt(SECRET.encode()).decode()
    assert decrypt_body(OutboxEmail(body_encrypted=old)) == SECRET
