"""Captcha challenges (R-CAPTCHA-1/2): 6 characters, an image and a French audio, single use.

A challenge is its key, and nothing is stored when it is drawn: the key is
`nonce.expiry.mac`, a random nonce, its time limit (unix seconds, base 36) and a keyed MAC
of both (salted_hmac with SECRET_KEY), so any app node can tell a key it signed, alive,
from a forged, altered or dead one without asking the database. Drawing a page therefore
writes nothing for the captcha itself; only the per-address quota counts it.

The characters are a keyed digest of the nonce mapped onto the alphabet, and the drawing is
seeded by other keyed digests of it (antirobot.render): a key always gives the same image
and the same audio, and so does the longer-lived key an extension gives for the same nonce.
Without SECRET_KEY the key tells nothing.

A challenge is consumed by its first check, right or wrong, by one autocommitted
`INSERT ... ON CONFLICT DO NOTHING` of its nonce (antirobot.models.UsedChallenge): on any
number of nodes, the one statement that inserts the row is the one answer the challenge
gets. The row outlives every key that can carry the nonce, and purge_expired() (called by
the periodic housekeeping command) removes it afterwards. Rows stay bounded: only a check of
a key we signed writes one, and each address may draw
settings.THROTTLE_POLICIES["captchas_per_address"] challenges per window.
"""

import re
import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int, int_to_base36, urlsafe_base64_encode

from antirobot import render
from antirobot.models import UsedChallenge
from core import clock
from core.throttle import Throttle

# No two characters a person can take for one another (a misread character costs a new image), on the image (shown
# upper case: Z/2, S/5, B/8, G/6, O/0, I/1/L, Q/O, U/V, T/7, A/4, N/M, V/W) or in French
# audio ("bé/dé/pé/té/vé", "sé/ès", "èm/èn"). tests/parts/test_captcha.py lists the pairs.
ALPHABET = "efhjkmpruwxy23456789"
LENGTH = 6
TEST_WORD = "PASSED"
MAC_BYTES = 16
# nonce (token_urlsafe(16)) . expiry (base 36) . MAC (16 bytes, base64url without padding):
# URL-safe, since the key travels in /captcha/<key>/image.png. Anything else is not ours.
KEY_RE = re.compile(r"([A-Za-z0-9_-]{22})\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{22})")
# A node whose clock runs a little ahead of another's issues keys the other must accept. A
# used nonce's row outlives its keys by at least twice this (_consume).
CLOCK_SKEW = timedelta(minutes=1)
POLICY = "captchas_per_address"


class Key(NamedTuple):
    nonce: str
    expires: int  # unix seconds


def _mac(body: str) -> str:
    digest = salted_hmac("antirobot.key", body, algorithm="sha256").digest()
    return urlsafe_base64_encode(digest[:MAC_BYTES])


def _sign(nonce: str, life: timedelta, *, now=None) -> str:
    """Return the key of nonce, alive for life from now (the product's clock unless given)."""
    body = f"{nonce}.{int_to_base36(int(((now or clock.now()) + life).timestamp()))}"
    return f"{body}.{_mac(body)}"


def challenge(key: str) -> dict:
    """Return the key and its URLs: the widget draws them, the script puts new ones on it."""
    return {
        "key": key,
        "image": reverse("antirobot:image", args=[key]),
        "audio": reverse("antirobot:audio", args=[key]),
        "extend": reverse("antirobot:extend", args=[key]),
    }


def read(key) -> Key | None:
    """Return the nonce and time limit of key if we signed it and it is alive, else None.

    Used or not is not asked here: that takes the database (verify, extend).
    """
    match = KEY_RE.fullmatch(key) if isinstance(key, str) else None
    if match is None:
        return None
    nonce, expiry, mac = match.groups()
    if not constant_time_compare(mac, _mac(f"{nonce}.{expiry}")):
        return None
    expires, now = base36_to_int(expiry), clock.now()
    # A limit further than any extension gives was not set by us: refused, even signed.
    if not now.timestamp() < expires <= (now + settings.CAPTCHA_EXTENDED_TTL + CLOCK_SKEW).timestamp():
        return None
    return Key(nonce, expires)


def answer_for(key: str) -> str:
    """Return the 6 characters of the challenge key, a digest of its nonce alone."""
    nonce = key.partition(".")[0]
    digest = salted_hmac("antirobot.answer", nonce, algorithm="sha256").digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:LENGTH])


def _seed(nonce: str, purpose: str) -> bytes:
    # Another salt than the answer's: the seed tells nothing about the characters.
    return salted_hmac(f"antirobot.{purpose}", nonce, algorithm="sha256").digest()


def new_challenge(*, address: str | None) -> str | None:
    """Return the key of a new challenge for the client at address; nothing is stored.

    Return None when address has drawn its quota of challenges for the window: the caller
    shows why instead of an image (antirobot.forms.TOO_MANY).
    """
    if not Throttle.default().within_limit(POLICY, key=address):
        return None
    return _sign(secrets.token_urlsafe(16), settings.CAPTCHA_TTL)


def extend(key) -> str | None:
    """Return a key for the same challenge with the longer time limit (RGAA 13.1), or None.

    The limit becomes CAPTCHA_EXTENDED_TTL from now, ten times the default (WCAG 2.2.1
    "adjust"); asking again extends again. The nonce, hence the image, stays the same, so a
    longer life gives an attacker nothing a new challenge would not. The old key stays
    valid until its own limit and shares the one check with the new one. None for a key
    that is not ours, dead or already checked.
    """
    now = clock.now()  # taken before the check of use: the new key's limit follows from it
    challenge = read(key)
    if challenge is None or UsedChallenge.objects.filter(nonce=challenge.nonce).exists():
        return None
    return _sign(challenge.nonce, settings.CAPTCHA_EXTENDED_TTL, now=now)


def _consume(nonce: str) -> bool:
    """Record nonce as used; return whether this call was its first use.

    One autocommitted statement, valid on SQLite and PostgreSQL: of any number of checks,
    on any number of nodes, only the first inserts the row. The row must outlive every key
    carrying nonce: none lives beyond now + CAPTCHA_EXTENDED_TTL (+ CLOCK_SKEW, accepted from
    a node a little ahead), and the margin covers an extension read just before this check;
    it never falls below twice the accepted skew, whatever CAPTCHA_TTL is set to.
    """
    margin = max(settings.CAPTCHA_TTL, 2 * CLOCK_SKEW)
    expires_at = clock.now() + settings.CAPTCHA_EXTENDED_TTL + margin
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO antirobot_usedchallenge (nonce, expires_at) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            [nonce, connection.ops.adapt_datetimefield_value(expires_at)],
        )
        return cursor.rowcount == 1


def verify(key, answer) -> bool:
    """Consume the challenge key and return whether answer matches it.

    Case and surrounding spaces are ignored: the audio version cannot tell case. With
    CAPTCHA_TEST_MODE, the word PASSED is accepted (end-to-end tests only).
    """
    challenge = read(key)
    consumed = challenge is not None and _consume(challenge.nonce)
    answer = answer.strip() if isinstance(answer, str) else ""
    if settings.CAPTCHA_TEST_MODE and answer == TEST_WORD:
        return True
    return consumed and constant_time_compare(answer.lower(), answer_for(key))


class ImageCaptcha:
    """The product's own captcha (antirobot.interfaces.Captcha): the challenges of this module,
    drawn as an image and a French audio by antirobot.render. Nothing leaves the service: no
    third party sees who logs in. Production and development alike: it needs no network."""

    def draw(self, *, address: str | None) -> dict | None:
        key = new_challenge(address=address)
        return challenge(key) if key else None

    def verify(self, key, answer) -> bool:
        return verify(key, answer)


def purge_expired() -> int:
    """Delete the used nonces no live key can carry any more; return how many (housekeeping)."""
    deleted, _ = UsedChallenge.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted


def image_png(key) -> bytes | None:
    """Return the PNG of a live challenge, or None; always the same bytes for one nonce.

    No database query: a key already checked still shows its image until its time limit,
    which is harmless since its one answer is spent.
    """
    challenge = read(key)
    if challenge is None:
        return None
    return render.image(answer_for(key), _seed(challenge.nonce, "image"))


def audio_wav(key) -> bytes | None:
    """Return the French WAV of a live challenge, or None; always the same bytes for one nonce.

    No database query, as for image_png.
    """
    challenge = read(key)
    if challenge is None:
        return None
    return render.audio(answer_for(key), _seed(challenge.nonce, "audio"))
