"""Captcha challenges (R-CAPTCHA-1/2): 6 characters, an image and a French audio, single use.

The characters are HMAC(SECRET_KEY, key) mapped onto the alphabet: the database holds
only the key and its date, every app node can draw the image or the audio, and without
SECRET_KEY the key tells nothing. A challenge is consumed by its first check, right or
wrong, by an atomic DELETE: on any number of nodes, one answer per challenge.
"""

import hashlib
import hmac
import io
import re
import secrets
from functools import lru_cache
from pathlib import Path

from captcha.audio import AudioCaptcha
from captcha.image import ImageCaptcha
from django.conf import settings

from antirobot.models import Challenge
from espace import clock

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/i/l: nothing to confuse
LENGTH = 6
TEST_WORD = "PASSED"
VOICES = Path(__file__).resolve().parent / "voices"
PURGE_ONE_IN = 50
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # token_urlsafe(32): anything else is not ours


def answer_for(key: str) -> str:
    """Return the 6 characters of the challenge key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"captcha:" + key.encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:LENGTH])


def new_challenge() -> str:
    """Store a new challenge and return its key."""
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        purge_expired()
    key = secrets.token_urlsafe(32)
    Challenge.objects.create(key=key, created_at=clock.now())
    return key


def _well_formed(key) -> bool:
    return isinstance(key, str) and bool(KEY_RE.match(key))


def _live(key) -> bool:
    return (
        _well_formed(key)
        and Challenge.objects.filter(key=key, created_at__gt=clock.now() - settings.CAPTCHA_TTL).exists()
    )


def verify(key, answer) -> bool:
    """Consume the challenge key and return whether answer matches it.

    Case and surrounding spaces are ignored: the audio version cannot tell case. With
    CAPTCHA_TEST_MODE, the word PASSED is accepted (end-to-end tests only).
    """
    consumed = False
    if _well_formed(key):
        deleted, _ = Challenge.objects.filter(key=key, created_at__gt=clock.now() - settings.CAPTCHA_TTL).delete()
        consumed = deleted == 1
    answer = answer.strip() if isinstance(answer, str) else ""
    if settings.CAPTCHA_TEST_MODE and answer == TEST_WORD:
        return True
    return consumed and hmac.compare_digest(answer.lower().encode(), answer_for(key).encode())


def purge_expired() -> int:
    deleted, _ = Challenge.objects.filter(created_at__lte=clock.now() - settings.CAPTCHA_TTL).delete()
    return deleted


@lru_cache(maxsize=1)
def _image() -> ImageCaptcha:
    return ImageCaptcha(width=220, height=80)


@lru_cache(maxsize=1)
def _audio() -> AudioCaptcha:
    audio = AudioCaptcha(voicedir=str(VOICES))
    audio.load()
    return audio


def image_png(key) -> bytes | None:
    """Return the PNG of a live challenge, or None."""
    if not _live(key):
        return None
    buffer = io.BytesIO()
    _image().generate_image(answer_for(key).upper()).save(buffer, format="PNG")
    return buffer.getvalue()


def audio_wav(key) -> bytes | None:
    """Return the French WAV of a live challenge, or None."""
    if not _live(key):
        return None
    return bytes(_audio().generate(answer_for(key)))
