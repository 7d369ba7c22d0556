"""Letters: a code sent by post to a postal address (the "post" channel of codes.channels, R-ADH-3).

The contract is ``Letters``; settings.LETTERS_BACKEND names the implementation. The one here,
``OutboxLetters``, writes each letter to the letters outbox (codes.models.OutboxLetter) in the
caller's transaction, as emails are (R-EMAIL-2): a request that rolls back leaves no letter. The
worker (codes.letter_worker, ``manage.py letter_worker``) then renders each one as a tagged PDF
and hands it over to the printing service in LETTER_SPOOL_DIR.

The template's context (the code among its values) is stored encrypted (core.crypto) and wiped
once the letter is handed over; the reference that names the letter everywhere else (file
names, manifest, logs, development page) is drawn at random, never from the code.
"""

import json
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import get_template
from django.utils.module_loading import import_string

from codes import tokens
from codes.models import OutboxLetter
from core import clock, crypto

# The letters outbox's own key, derived from SECRET_KEY (the email outbox has another).
PURPOSE = b"espacepro-letters"
# "C-2026-7K3QH9XZ": the year (Paris) and 8 characters of Crockford's base 32 (no I, L, O, U:
# read aloud on the phone or typed from the paper, nothing is mistaken). 32^8 ≈ 10^12 a year.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8
REFERENCE_RE = r"C-[0-9]{4}-[0-9A-HJKMNP-TV-Z]{8}"
# A postal address has at most 6 lines (AFNOR NF Z 10-011, as La Poste asks).
MAX_ADDRESS_LINES = 6


class Letters(Protocol):
    """Send letters to postal addresses."""

    def send(self, *, address: Sequence[str], template: str, context: Mapping[str, object]) -> None:
        """Queue the letter template, rendered with context, for address (its lines, recipient first).

        Called in the caller's transaction: if it rolls back, nothing is ever sent.
        """


class OutboxLetters:
    """Letters through the letters outbox: a row now, a PDF in LETTER_SPOOL_DIR by the worker."""

    def send(self, *, address: Sequence[str], template: str, context: Mapping[str, object]) -> None:
        queue(address=address, template=template, context=context)


def queue(*, address: Sequence[str], template: str, context: Mapping[str, object]) -> OutboxLetter:
    """Write a letter to the outbox in the caller's transaction and return it.

    Raise ValueError for an address that is not 1 to 6 lines, TemplateDoesNotExist for a
    template that is not there, TypeError for a context JSON cannot hold: at the request,
    so that the request fails, rather than a letter that never leaves.
    """
    lines = postal_lines(address)
    get_template(template)
    sealed = seal(context)
    now = clock.now()
    for _ in range(3):  # a reference drawn twice (one in 10^12) is drawn again
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction survives a clash
                return OutboxLetter.objects.create(
                    reference=new_reference(now),
                    address=lines,
                    template=template,
                    context_encrypted=sealed,
                    created_at=now,
                    next_attempt_at=now,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Aucune référence de courrier libre après trois tirages")


def postal_lines(address: Sequence[str]) -> list[str]:
    """Return address as the lines to print: each stripped, its spaces and line breaks folded to
    one space, control characters and lone surrogates dropped (no database stores a NUL in
    JSON), empty ones dropped; 1 to 6 of them."""
    if isinstance(address, str):
        raise ValueError("A postal address is a list of lines.")
    lines = [" ".join(_storable(str(line)).split()) for line in address]
    lines = [line for line in lines if line]
    if not 1 <= len(lines) <= MAX_ADDRESS_LINES:
        raise ValueError(f"A postal address has 1 to {MAX_ADDRESS_LINES} lines, not {len(lines)}.")
    return lines


def _storable(text: str) -> str:
    return "".join(ch if unicodedata.category(ch) != "Cc" else " " for ch in text if unicodedata.category(ch) != "Cs")


def new_reference(now: datetime) -> str:
    """Return a new reference: "C-", the Paris year of now, "-", 8 random characters."""
    drawn = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"C-{clock.paris(now).year}-{drawn}"


# The context goes through JSON; its moments (the code's deadline) come back as they went.
def _tagged(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"A letter's context holds {type(value).__name__}: not storable.")


def _untagged(value: dict):
    if value.keys() == {"$datetime"}:
        return datetime.fromisoformat(value["$datetime"])
    if value.keys() == {"$date"}:
        return date.fromisoformat(value["$date"])
    return value


def seal(context: Mapping[str, object]) -> str:
    """Return context encrypted for the outbox (JSON; dates and moments kept as such)."""
    return crypto.encrypt(json.dumps(dict(context), default=_tagged, ensure_ascii=False), purpose=PURPOSE)


def unseal(letter: OutboxLetter) -> dict:
    """Return the clear context of letter ({} once handed over and wiped)."""
    if not letter.context_encrypted:
        return {}
    return json.loads(crypto.decrypt(letter.context_encrypted, purpose=PURPOSE), object_hook=_untagged)


@lru_cache(maxsize=4)
def _backend(path: str) -> Letters:
    return import_string(path)()


def backend() -> Letters:
    """Return the letters implementation settings.LETTERS_BACKEND names."""
    return _backend(settings.LETTERS_BACKEND)


def void_pending(digests) -> int:
    """Withdraw the letters not yet handed over whose code has one of digests; return how many.

    The requests they carry a code for are void already (CodeProcess.abort): the letter would
    bring the siège a dead code. A letter has no link to its request (its context, code included,
    is sealed), so the pending ones are unsealed and their code's digest compared: the outbox
    holds only the letters of the last minutes. A letter the worker holds under lease is left
    to it (written to the spool meanwhile: its code is dead all the same). A withdrawn letter
    becomes "failed" with its context wiped.
    """
    wanted = set(digests)
    if not wanted:
        return 0
    withdrawn = 0
    now = clock.now()
    for letter in OutboxLetter.objects.filter(status=OutboxLetter.Status.PENDING):
        code = unseal(letter).get("code")
        if code and tokens.digest(code) in wanted:
            withdrawn += (
                OutboxLetter.objects.filter(pk=letter.pk, status=OutboxLetter.Status.PENDING)
                .exclude(claimed_until__gt=now)
                .update(status=OutboxLetter.Status.FAILED, context_encrypted="", last_error="withdrawn: request void")
            )
    return withdrawn
