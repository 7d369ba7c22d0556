"""Hand the letters outbox over to the printing service, with retries and back-off (R-ADH-3).

Each letter becomes a tagged PDF (recapitulatif.documents, as the récapitulatif) and two files
of LETTER_SPOOL_DIR, named by its reference: ``<reference>.pdf``, then ``<reference>.json``, its
manifest (recipient address, reference, pages, date, template; never the code). Each file is
written to a temporary file of the same folder, flushed to the disk (fsync), then renamed over
its name (os.replace, atomic): a file of that name is always whole. The PDF goes first, so a
printing service that watches the manifests never finds a manifest whose PDF is not all there.

Like the mail worker (mailer.worker), one pass (hand_over_due):

1. claim: in one short transaction, lease up to ``limit`` due letters (pending, next attempt
   come, no live lease) with a conditional UPDATE; SKIP LOCKED on PostgreSQL keeps two workers
   from waiting on each other, and two never hold one letter;
2. for each letter: renew its lease (still ours?), render and write it outside any
   transaction, then record the result in one conditional UPDATE that releases the lease —
   handed over: status "sent", the encrypted context wiped; failed (an unwritable folder, a
   full disk…): still pending, retried after a back-off, "failed" after LETTER_MAX_ATTEMPTS.

A worker that dies after writing the manifest and before recording it leaves a leased letter
behind; the worker that takes it up after the lease finds its manifest in the folder and
records it as handed over without writing it again. Logs and ``last_error`` name letters by
their reference, never quote their context: any value of it is blanked out of an error's text.
"""

import hashlib
import json
import logging
import os
import random
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string

from codes import letters
from codes.models import OutboxLetter
from core import clock
from recapitulatif.documents import Document, printable, render_html

logger = logging.getLogger("codes.letters")

# How long a claimed letter stays out of other workers' reach: one render and two small files.
LEASE = timedelta(minutes=5)
STYLESHEET = Path(__file__).resolve().parent / "templates" / "codes" / "letters" / "letter.css"


def backoff(attempts: int) -> timedelta:
    """Return the delay before the next try: the first retry doubled at each failure, capped."""
    delay = settings.LETTER_FIRST_RETRY * (2 ** max(0, attempts - 1))
    return min(delay, settings.LETTER_MAX_RETRY) * random.uniform(1.0, 1.1)  # workers not in lockstep


def _unleased(now):
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim(limit: int) -> list[OutboxLetter]:
    """Lease up to limit due letters to this pass, in one short transaction; return them."""
    token = uuid.uuid4().hex
    now = clock.now()
    with transaction.atomic():
        due = OutboxLetter.objects.filter(_unleased(now), status=OutboxLetter.Status.PENDING, next_attempt_at__lte=now)
        due = due.order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)  # rows another worker is claiming are skipped
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # Conditional: a letter leased meanwhile by another worker is not taken twice.
        OutboxLetter.objects.filter(_unleased(now), pk__in=ids, status=OutboxLetter.Status.PENDING).update(
            claimed_by=token, claimed_until=now + LEASE
        )
        return list(OutboxLetter.objects.filter(claimed_by=token).order_by("next_attempt_at", "id"))


def _ours(letter: OutboxLetter):
    return OutboxLetter.objects.filter(pk=letter.pk, claimed_by=letter.claimed_by, status=OutboxLetter.Status.PENDING)


def _renew(letter: OutboxLetter) -> bool:
    """Extend letter's lease before its hand-over; False if it is no longer ours."""
    return _ours(letter).update(claimed_until=clock.now() + LEASE) == 1


def _record(letter: OutboxLetter, **fields) -> None:
    """Write the result of one attempt and release the lease (one short statement)."""
    _ours(letter).update(claimed_by="", claimed_until=None, **fields)


def hand_over_due(*, limit: int = 20) -> int:
    """Hand over what is due; return how many letters were handed over."""
    done = 0
    for letter in claim(limit):
        if _renew(letter):
            done += _hand_over(letter)
    return done


def _hand_over(letter: OutboxLetter) -> int:
    context = {}
    try:
        context = letters.unseal(letter)
        folder = Path(settings.LETTER_SPOOL_DIR)
        pages = _already_handed_over(folder, letter)
        if pages is None:
            document = render(letter, context)
            write_files(folder, letter, document)
            pages = document.pages
    except Exception as error:  # an unwritable folder, a full disk, a broken template: retry later
        _failed(letter, error, context)
        return 0
    # Handed over: the code no longer needs to exist here.
    _record(
        letter,
        status=OutboxLetter.Status.SENT,
        attempts=letter.attempts + 1,
        sent_at=clock.now(),
        pages=pages,
        context_encrypted="",
        last_error="",
    )
    logger.info("Courrier %s remis à l'imprimeur (%s page(s))", letter.reference, pages)
    return 1


def render(letter: OutboxLetter, context: dict) -> Document:
    """Return the tagged PDF of letter, its template rendered with its clear context."""
    values = {
        **context,
        "reference": letter.reference,
        "address": [printable(line) for line in letter.address],
        "created_at": letter.created_at,
        "service": settings.SERVICE_NAME,
        "etat": settings.ETAT_DEPLOIEMENT,
    }
    return render_html(render_to_string(letter.template, values), css=_stylesheet())


def _stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def manifest(letter: OutboxLetter, document: Document) -> dict:
    """Return what the printing service reads of letter: everything but its content (no code)."""
    return {
        "reference": letter.reference,
        "address": letter.address,
        "pages": document.pages,
        "created_at": letter.created_at.isoformat(),
        "template": letter.template,
        "pdf": f"{letter.reference}.pdf",
        "sha256": hashlib.sha256(document.pdf).hexdigest(),
    }


def write_files(folder: Path, letter: OutboxLetter, document: Document) -> None:
    """Write letter's PDF, then its manifest, each whole or not at all, readable by the owner only."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder, f"{letter.reference}.pdf", document.pdf)
    data = json.dumps(manifest(letter, document), ensure_ascii=False, indent=2).encode("utf-8")
    _write_atomically(folder, f"{letter.reference}.json", data)


def _write_atomically(folder: Path, name: str, data: bytes) -> None:
    # mkstemp: a new file of mode 0o600 that no other process can have opened. Its name starts
    # with a dot and ends in .tmp: no watcher of "*.pdf" or "*.json" sees it.
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())  # the data is on the disk before the name points to it
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(folder)  # and the new name itself survives a crash


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _already_handed_over(folder: Path, letter: OutboxLetter) -> int | None:
    """Return the pages of letter if its manifest is in folder already (its worker died before
    recording it), else None. Written last, a manifest means the PDF is whole too."""
    try:
        return json.loads((folder / f"{letter.reference}.json").read_text(encoding="utf-8"))["pages"]
    except FileNotFoundError:
        return None


def _failed(letter: OutboxLetter, error: Exception, context: dict) -> None:
    """Schedule the next try of letter, or give up after LETTER_MAX_ATTEMPTS (the context kept)."""
    attempts = letter.attempts + 1
    last_error = _redacted(f"{type(error).__name__}: {error}", context)[:200]
    if attempts >= settings.LETTER_MAX_ATTEMPTS:
        _record(letter, attempts=attempts, last_error=last_error, status=OutboxLetter.Status.FAILED)
        logger.error("Courrier %s abandonné après %s tentatives (%s)", letter.reference, attempts, last_error)
        return
    next_attempt_at = clock.now() + backoff(attempts)
    _record(letter, attempts=attempts, last_error=last_error, next_attempt_at=next_attempt_at)
    logger.warning(
        "Courrier %s : échec (%s), nouvel essai à %s", letter.reference, last_error, next_attempt_at.isoformat()
    )


def _redacted(text: str, context: dict) -> str:
    """Return text with every value of context blanked out: an error may quote what it rendered."""
    values = [value for value in context.values() if isinstance(value, str) and len(value) >= 4]
    for value in sorted(values, key=len, reverse=True):  # the longest first: a value inside another
        text = text.replace(value, "…")
    return text
