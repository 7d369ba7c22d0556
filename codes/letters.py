"""Letters: a code sent by post to a postal address (the "post" channel of codes.channels).

The contract is ``Letters``; settings.LETTERS_BACKEND names the implementation. The one
here is for development: each letter is a text file in LETTER_SPOOL_DIR, written after the
commit of the transaction that sent it, so that a change that rolls back sends nothing
(the rule R-EMAIL-2 sets for emails). The real outbox of letters, with their PDFs, will
implement the same contract.
"""

import os
import uuid
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from core import clock


class Letters(Protocol):
    """Send letters to postal addresses."""

    def send(self, *, address: Sequence[str], template: str, context: Mapping[str, object]) -> None:
        """Queue the letter template, rendered with context, for address (its lines, recipient first).

        Called in the caller's transaction: if it rolls back, nothing is ever sent.
        """


class SpoolLetters:
    """Development letters: one text file per letter in settings.LETTER_SPOOL_DIR.

    The files hold codes in clear, like the development mailbox: readable by the owner only.
    """

    def send(self, *, address: Sequence[str], template: str, context: Mapping[str, object]) -> None:
        text = "\n".join([*address, "", render_to_string(template, dict(context))])
        name = f"{clock.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex}.txt"
        transaction.on_commit(lambda: self._write(Path(settings.LETTER_SPOOL_DIR) / name, text))

    @staticmethod
    def _write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)


@lru_cache(maxsize=4)
def _backend(path: str) -> Letters:
    return import_string(path)()


def backend() -> Letters:
    """Return the letters implementation settings.LETTERS_BACKEND names."""
    return _backend(settings.LETTERS_BACKEND)
