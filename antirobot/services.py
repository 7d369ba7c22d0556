"""Captcha challenges (R-CAPTCHA-1/2): 6 characters, an image and a French audio, single use.

The characters are a keyed digest of the key (salted_hmac with SECRET_KEY) mapped onto the
alphabet: the database holds only the key and its expiry, every app node can draw the
image or the audio, and without SECRET_KEY the key tells nothing. The drawing itself is
seeded by another keyed digest of the key, so that a key always gives the same image and
the same audio (antirobot.render). A challenge is consumed by its first check, right or
wrong, by an atomic DELETE: on any number of nodes, one answer per challenge.

Rows stay bounded: each address may draw settings.THROTTLE_POLICIES["captchas_per_address"]
challenges per window, and purge_expired() (called by the periodic housekeeping command,
and now and then by new_challenge) removes dead ones.
"""

import re
import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from antirobot import render
from antirobot.models import Challenge
from espace import clock
from espace.services.throttle import Throttle

# Issue 6 item 4: no two characters a person can take for one another, on the image (shown
# upper case: Z/2, S/5, B/8, G/6, O/0, I/1/L, Q/O, U/V, T/7, A/4, N/M, V/W) or in French
# audio ("bé/dé/pé/té/vé", "sé/ès", "èm/èn"). tests/parts/test_captcha.py lists the pairs.
ALPHABET = "efhjkmpruwxy23456789"
LENGTH = 6
TEST_WORD = "PASSED"
PURGE_ONE_IN = 50
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # token_urlsafe(32): anything else is not ours
POLICY = "captchas_per_address"


def answer_for(key: str) -> str:
    """Return the 6 characters of the challenge key."""
    digest = salted_hmac("antirobot.answer", key, algorithm="sha256").digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:LENGTH])


def _seed(key: str, purpose: str) -> bytes:
    # Another salt than the answer's: the seed tells nothing about the characters.
    return salted_hmac(f"antirobot.{purpose}", key, algorithm="sha256").digest()


def new_challenge(*, address: str | None) -> str | None:
    """Store a new challenge for the client at address and return its key.

    Return None when address has drawn its quota of challenges for the window: the caller
    shows why instead of an image (antirobot.forms.TOO_MANY).
    """
    if not Throttle.default().within_limit(POLICY, key=address):
        return None
    if secrets.randbelow(PURGE_ONE_IN) == 0:
        purge_expired()
    key = secrets.token_urlsafe(32)
    Challenge.objects.create(key=key, expires_at=clock.now() + settings.CAPTCHA_TTL)
    return key


def _well_formed(key) -> bool:
    return isinstance(key, str) and bool(KEY_RE.match(key))


def _live(key):
    return Challenge.objects.filter(key=key, expires_at__gt=clock.now())


def extend(key) -> bool:
    """Give a live challenge the longer time limit a person asked for (RGAA 13.1).

    The limit becomes CAPTCHA_EXTENDED_TTL from now, ten times the default (WCAG 2.2.1
    "adjust"); asking again extends again. The image stays the same, so a longer life
    gives an attacker nothing a new challenge would not.
    """
    if not _well_formed(key):
        return False
    return _live(key).update(expires_at=clock.now() + settings.CAPTCHA_EXTENDED_TTL) == 1


def verify(key, answer) -> bool:
    """Consume the challenge key and return whether answer matches it.

    Case and surrounding spaces are ignored: the audio version cannot tell case. With
    CAPTCHA_TEST_MODE, the word PASSED is accepted (end-to-end tests only).
    """
    consumed = False
    if _well_formed(key):
        deleted, _ = _live(key).delete()
        consumed = deleted == 1
    answer = answer.strip() if isinstance(answer, str) else ""
    if settings.CAPTCHA_TEST_MODE and answer == TEST_WORD:
        return True
    return consumed and constant_time_compare(answer.lower(), answer_for(key))


def purge_expired() -> int:
    """Delete the challenges past their time limit; return how many (housekeeping)."""
    deleted, _ = Challenge.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted


def image_png(key) -> bytes | None:
    """Return the PNG of a live challenge, or None; always the same bytes for one key."""
    if not (_well_formed(key) and _live(key).exists()):
        return None
    return render.image(answer_for(key), _seed(key, "image"))


def audio_wav(key) -> bytes | None:
    """Return the French WAV of a live challenge, or None; always the same bytes for one key."""
    if not (_well_formed(key) and _live(key).exists()):
        return None
    return render.audio(answer_for(key), _seed(key, "audio"))
