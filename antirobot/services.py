"""Captcha challenges (R-CAPTCHA-1/2): 6 characters, an image and a French audio, single use.

A challenge is its key, and nothing is stored when it is drawn: the key is
`purpose.nonce.expiry.mac`: the form it was drawn for (antirobot.forms derives one per form
class), a random nonce, its time limit (unix seconds, base 36) and a keyed MAC (salted_hmac
with SECRET_KEY) of these and of the client's binding. The binding is a random value the
browser holds in an HttpOnly cookie (COOKIE), set by the first drawing
(antirobot.middleware); it never travels in the page. So a key is good only for the form it
was drawn for and in the browser that drew it: a key of the login page is refused by every
other form, and one copied to another client is refused there. Any app node tells a key it
signed, alive and bound to this client, from any other without asking the database.

The characters are a keyed digest of the nonce mapped onto the alphabet, and the drawing is
seeded by other keyed digests of it (antirobot.render): a key always gives the same image
and the same audio, and so does the longer-lived key an extension gives for the same nonce.
Without SECRET_KEY the key tells nothing.

A challenge is consumed by its first check, right or wrong, by one autocommitted
`INSERT ... ON CONFLICT DO NOTHING` of its nonce (antirobot.models.UsedChallenge): on any
number of nodes, the one statement that inserts the row is the one answer the challenge
gets. The row outlives every key that can carry the nonce, and purge_expired() (called by
the periodic housekeeping command) removes it afterwards.

Drawing costs a MAC and stores nothing, so it is not counted: no number of drawings (a
script fetching /captcha/nouveau, or a page of another site loading it as an image) can
leave anyone without a captcha (issue 13 item 5). What is bounded is what is stored: only
the check of a live key of ours, bound to this client, writes a row, and each address may
have settings.THROTTLE_POLICIES["captchas_per_address"] such checks per window. A check is
a POST carrying the CSRF token, which no other site can make a browser send.
"""

import enum
import re
import secrets
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
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
TOKEN = r"[A-Za-z0-9_-]{22}"  # secrets.token_urlsafe(16), and a 16-byte MAC in base64url
PURPOSE_RE = re.compile(r"[a-z0-9]{1,40}")
# purpose . nonce . expiry (base 36) . MAC: URL-safe, since the key travels in
# /captcha/<key>/image.png. Anything else is not ours.
KEY_RE = re.compile(rf"([a-z0-9]{{1,40}})\.({TOKEN})\.([0-9a-z]{{1,8}})\.({TOKEN})")
# The client's binding: a browser-session cookie, HttpOnly (no script of a page reads it).
COOKIE = "espacepro_captcha"
BINDING_RE = re.compile(TOKEN)
NEW_BINDING = "antirobot_new_binding"  # the request attribute antirobot.middleware sets as cookie
# A node whose clock runs a little ahead of another's issues keys the other must accept. A
# used nonce's row outlives its keys by at least twice this (_consume).
CLOCK_SKEW = timedelta(minutes=1)
POLICY = "captchas_per_address"
# purpose -> the form class that declared it ("module.Class"), filled by antirobot.forms.
PURPOSES: dict[str, str] = {}


class Key(NamedTuple):
    purpose: str
    nonce: str
    expires: int  # unix seconds


class Verdict(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"  # wrong answer, or a key that is not ours, dead, used, of another form or client
    TOO_MANY = "too_many"  # the address's checks for the window are spent: nothing was checked


def register(purpose: str, owner: str) -> str:
    """Declare purpose as the captcha of the form owner ("module.Class"); return it.

    Two forms may not share a purpose: a key drawn for one would be good for the other.
    """
    if not PURPOSE_RE.fullmatch(purpose):
        raise ImproperlyConfigured(f"captcha : usage {purpose!r} invalide (minuscules et chiffres)")
    if PURPOSES.setdefault(purpose, owner) != owner:
        raise ImproperlyConfigured(f"captcha : l'usage {purpose!r} est déjà celui de {PURPOSES[purpose]}")
    return purpose


def binding(request) -> str | None:
    """Return the binding the client sent (its cookie), or None if it sent none of ours."""
    value = request.COOKIES.get(COOKIE)
    return value if value is not None and BINDING_RE.fullmatch(value) else None


def drawing_binding(request) -> str:
    """Return the client's binding, drawing one (set as its cookie by the response) if it has none."""
    value = binding(request) or getattr(request, NEW_BINDING, None)
    if value is None:
        value = secrets.token_urlsafe(16)
        setattr(request, NEW_BINDING, value)
    return value


def _mac(purpose: str, nonce: str, expiry: str, bound_to: str) -> str:
    body = f"{purpose}.{nonce}.{expiry}.{bound_to}"
    digest = salted_hmac("antirobot.bound-key", body, algorithm="sha256").digest()
    return urlsafe_base64_encode(digest[:MAC_BYTES])


def _sign(purpose: str, nonce: str, life: timedelta, bound_to: str, *, now=None) -> str:
    """Return the key of nonce for purpose and binding, alive for life from now (the product's clock unless given)."""
    expiry = int_to_base36(int(((now or clock.now()) + life).timestamp()))
    return f"{purpose}.{nonce}.{expiry}.{_mac(purpose, nonce, expiry, bound_to)}"


def issue(purpose: str, bound_to: str) -> str:
    """Return the key of a new challenge for purpose, good only under binding bound_to."""
    return _sign(purpose, secrets.token_urlsafe(16), settings.CAPTCHA_TTL, bound_to)


def new_challenge(request, purpose: str) -> str:
    """Return the key of a new challenge of purpose for the client of request; nothing is stored."""
    return issue(purpose, drawing_binding(request))


def challenge(key: str) -> dict:
    """Return the key and its URLs: the widget draws them, the script puts new ones on it."""
    return {
        "key": key,
        "image": reverse("antirobot:image", args=[key]),
        "audio": reverse("antirobot:audio", args=[key]),
        "extend": reverse("antirobot:extend", args=[key]),
    }


def read(key, bound_to: str | None, purpose: str | None = None) -> Key | None:
    """Return what key says if we signed it for bound_to (and purpose, when given) and it is alive.

    None otherwise. Used or not is not asked here: that takes the database (check, extend).
    """
    match = KEY_RE.fullmatch(key) if isinstance(key, str) and bound_to else None
    if match is None:
        return None
    drawn_for, nonce, expiry, mac = match.groups()
    if not constant_time_compare(mac, _mac(drawn_for, nonce, expiry, bound_to)):
        return None
    if purpose is not None and drawn_for != purpose:
        return None
    expires, now = base36_to_int(expiry), clock.now()
    # A limit further than any extension gives was not set by us: refused, even signed.
    if not now.timestamp() < expires <= (now + settings.CAPTCHA_EXTENDED_TTL + CLOCK_SKEW).timestamp():
        return None
    return Key(drawn_for, nonce, expires)


def _nonce(key: str) -> str:
    match = KEY_RE.fullmatch(key)
    return match.group(2) if match else ""


def answer_for(key: str) -> str:
    """Return the 6 characters of the challenge key, a digest of its nonce alone."""
    digest = salted_hmac("antirobot.answer", _nonce(key), algorithm="sha256").digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:LENGTH])


def _seed(nonce: str, purpose: str) -> bytes:
    # Another salt than the answer's: the seed tells nothing about the characters.
    return salted_hmac(f"antirobot.{purpose}", nonce, algorithm="sha256").digest()


def extend(key, bound_to: str | None) -> str | None:
    """Return a key for the same challenge with the longer time limit (RGAA 13.1), or None.

    The limit becomes CAPTCHA_EXTENDED_TTL from now, ten times the default (WCAG 2.2.1
    "adjust"); asking again extends again. The purpose, the binding and the nonce (hence
    the image) stay the same, so a longer life gives an attacker nothing a new challenge
    would not. The old key stays valid until its own limit and shares the one check with
    the new one. None for a key that is not ours, not bound to bound_to, dead or already
    checked.
    """
    now = clock.now()  # taken before the check of use: the new key's limit follows from it
    challenge = read(key, bound_to)
    if challenge is None or UsedChallenge.objects.filter(nonce=challenge.nonce).exists():
        return None
    return _sign(challenge.purpose, challenge.nonce, settings.CAPTCHA_EXTENDED_TTL, bound_to, now=now)


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


def check(key, answer, *, purpose: str, bound_to: str | None, address: str | None) -> Verdict:
    """Consume the challenge key and tell whether answer matches it.

    The key must be of purpose and bound to bound_to; a key that is not (forged, dead, of
    another form or client) is refused and costs nothing. Case and surrounding spaces are
    ignored: the audio version cannot tell case. With CAPTCHA_TEST_MODE, the word PASSED is
    accepted (end-to-end tests only).
    """
    answer = answer.strip() if isinstance(answer, str) else ""
    if settings.CAPTCHA_TEST_MODE and answer == TEST_WORD:
        return Verdict.PASSED
    challenge = read(key, bound_to, purpose)
    if challenge is None:
        return Verdict.FAILED
    # Counted before the row is written: the ceiling bounds the rows one address can make.
    if not Throttle.default().within_limit(POLICY, key=address):
        return Verdict.TOO_MANY
    if _consume(challenge.nonce) and constant_time_compare(answer.lower(), answer_for(key)):
        return Verdict.PASSED
    return Verdict.FAILED


class ImageCaptcha:
    """The product's own captcha (antirobot.interfaces.Captcha): the challenges of this module,
    drawn as an image and a French audio by antirobot.render. Nothing leaves the service: no
    third party sees who logs in. Production and development alike: it needs no network."""

    def draw(self, request, purpose: str) -> dict:
        return challenge(new_challenge(request, purpose))

    def check(self, key, answer, *, request, purpose: str) -> Verdict:
        from core.client import client_ip

        return check(key, answer, purpose=purpose, bound_to=binding(request), address=client_ip(request))


def purge_expired() -> int:
    """Delete the used nonces no live key can carry any more; return how many (housekeeping)."""
    deleted, _ = UsedChallenge.objects.filter(expires_at__lte=clock.now()).delete()
    return deleted


def image_png(key, bound_to: str | None) -> bytes | None:
    """Return the PNG of a live challenge bound to bound_to, or None; always the same bytes for one nonce.

    No database query: a key already checked still shows its image until its time limit,
    which is harmless since its one answer is spent.
    """
    challenge = read(key, bound_to)
    if challenge is None:
        return None
    return render.image(answer_for(key), _seed(challenge.nonce, "image"))


def audio_wav(key, bound_to: str | None) -> bytes | None:
    """Return the French WAV of a live challenge bound to bound_to, or None; always the same bytes for one nonce.

    No database query, as for image_png.
    """
    challenge = read(key, bound_to)
    if challenge is None:
        return None
    return render.audio(answer_for(key), _seed(challenge.nonce, "audio"))
