"""The agents' secrets (R-AST-1): tokens, TOTP, recovery codes. Never stored in clear.

- Tokens (the enrolment link, the session cookie) are 256 random bits, stored as a keyed
  digest (HMAC-SHA256 under SECRET_KEY): a fast digest is enough for 256 bits, and being
  deterministic it finds the row.
- The TOTP secret (RFC 6238, 30 s, 6 digits: what every authenticator application reads) is
  encrypted under a key of its own (core.crypto): the server needs it back to check codes.
- Recovery codes: 10 characters of Crockford's base 32 (50 bits), keyed digests too; each
  works once.
"""

import hmac
import io
import secrets

import pyotp
import qrcode
import qrcode.image.svg
from django.utils.crypto import salted_hmac

from core import crypto

TOTP_PURPOSE = b"espacepro-assistance-totp"
ISSUER = "Espace professionnel - Assistance"
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_LENGTH = 10
TOTP_DIGITS = 6
# Crockford's base 32 reads I and L as 1, O as 0: a code copied from paper is not mistaken.
READ_ALIKE = str.maketrans("ILO", "110")


def new_token() -> str:
    """Return a new random token for a link or a cookie (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def digest(value: str, *, purpose: str) -> str:
    """Return the stored form of a token or recovery code under purpose."""
    return salted_hmac(f"assistance.{purpose}", value, algorithm="sha256").hexdigest()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def seal_totp(secret: str) -> str:
    return crypto.encrypt(secret, purpose=TOTP_PURPOSE)


def open_totp(sealed: str) -> str:
    return crypto.decrypt(sealed, purpose=TOTP_PURPOSE)


def totp_step(secret: str, code: str, at) -> int | None:
    """Return the time step code is valid for at ``at`` (one step of drift either way), or None."""
    if not (len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    for offset in (0, -1, 1):
        moment = at.timestamp() + offset * totp.interval
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(at) + offset
    return None


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(text: str) -> str:
    """Return text as a QR code in inline SVG (no image file, no script: the CSP allows it)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # no XML declaration inside HTML


def grouped(secret: str) -> str:
    """Return the secret in groups of four, as one types it into an application."""
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def new_recovery_code() -> str:
    drawn = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{drawn[:5]}-{drawn[5:]}"


def normal_recovery_code(typed: str) -> str | None:
    """Return the typed recovery code in its stored form ("ABCDE-FGHJK"), or None if it is none."""
    text = "".join(typed.split()).replace("-", "").upper()
    text = text.translate(READ_ALIKE)
    if len(text) != RECOVERY_LENGTH or any(char not in RECOVERY_ALPHABET for char in text):
        return None
    return f"{text[:5]}-{text[5:]}"
