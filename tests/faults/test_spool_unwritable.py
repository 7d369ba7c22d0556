"""Issue 18 §4 "the letters spool folder unwritable for a while": letters written once it is
back, each exactly once, never half a file.

tests/codes/test_letters_worker.py proves one letter through one refusal (and a disk full
between its two files, by a failing fsync). Here the folder itself goes away in the middle of a
pass over several letters and comes back a few back-offs later, as a mount or a permission
would: by ``chmod 0o500`` when the tests run as a user, and, as root (whom permissions do not
stop), by moving the folder aside and leaving a regular file of its name in its place. What a
printing service could read of the folder is whole at every moment: every manifest it sees
names a PDF that is all there (its SHA-256 in the manifest), every PDF it sees reads
(checked at each change of the folder, PrintingService).
"""

import hashlib
import io
import json
import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine
from pypdf import PdfReader

from codes import letter_worker, letters, registry
from codes.letter_worker import hand_over_due
from codes.models import OutboxLetter
from core import clock
from tests.codes.letter_files import LETTER_KIND, ask_by_post, code_in, files_in, register_letter_kind

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
LETTERS = 6
FAULT_AT = 2  # the folder goes away once the third letter's PDF is written, before its manifest


class Outage:
    """LETTER_SPOOL_DIR unwritable, then back, with the files it held."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.aside = folder.with_name(folder.name + ".absent")
        self.as_root = os.geteuid() == 0

    def begin(self) -> None:
        if self.as_root:  # root writes through any permission: a file where the folder was
            self.folder.rename(self.aside)
            self.folder.write_text("")
        else:
            self.folder.chmod(0o500)

    def end(self) -> None:
        if self.as_root:
            self.folder.unlink()
            self.aside.rename(self.folder)
        else:
            self.folder.chmod(0o700)

    @property
    def errors(self) -> tuple[str, ...]:
        return ("FileExistsError", "NotADirectoryError") if self.as_root else ("PermissionError",)


class PrintingService:
    """What a printing service could read of the folder, checked at every change the process
    makes to it, just before the change (a Python audit hook: every open and rename goes through
    it, whatever function the worker calls): nothing is ever opened for writing under a final
    name (``*.pdf``, ``*.json``); a PDF gets its name only once whole (it reads); a manifest gets
    its name only once the PDF it names is there under its own, the one whose SHA-256 it gives."""

    def __init__(self, folder: Path):
        self.folder, self.broken, self.renamed, self.busy = str(folder), [], [], False

    def __enter__(self):
        _WATCHING.append(self)
        return self

    def __exit__(self, *exc):
        _WATCHING.remove(self)

    def event(self, name: str, args: tuple) -> None:
        if self.busy:  # its own reads below
            return
        self.busy = True
        try:
            if name == "open" and isinstance(args[0], str | Path) and self.final(args[0]):
                mode, flags = args[1], args[2]
                if (mode and set(mode) & set("wax+")) or (mode is None and flags & (os.O_WRONLY | os.O_RDWR)):
                    self.broken.append(f"{Path(args[0]).name} écrit sous son nom")
            elif name == "os.rename" and self.final(args[1]):
                self.renamed.append(Path(args[1]).name)
                self.check(Path(args[0]), Path(args[1]))
        finally:
            self.busy = False

    def final(self, path) -> bool:
        path = Path(os.fsdecode(path))
        return str(path.parent) == self.folder and path.suffix in (".pdf", ".json") and not path.name.startswith(".")

    def check(self, source: Path, target: Path) -> None:
        data = source.read_bytes()
        try:
            if target.suffix == ".pdf":
                assert len(PdfReader(io.BytesIO(data)).pages) >= 1
            else:
                manifest = json.loads(data)
                pdf = target.with_name(manifest["pdf"]).read_bytes()
                assert hashlib.sha256(pdf).hexdigest() == manifest["sha256"]
        except Exception as error:  # a half-written PDF, a manifest before its PDF…
            self.broken.append(f"{target.name} : {type(error).__name__} {error}")


_WATCHING: list[PrintingService] = []


def _audit(name, args, watching=_WATCHING):  # bound now: module globals are gone at exit
    for watch in watching:
        watch.event(name, args)


sys.addaudithook(_audit)  # cannot be removed: it does nothing while no test watches a folder


@pytest.fixture
def spool(spool):
    register_letter_kind()
    yield spool
    registry.unregister(LETTER_KIND)


def test_issue_18_4_spool_unwritable_for_a_while_then_back_each_letter_once_and_whole(spool, monkeypatch):
    outage = Outage(spool)
    with time_machine.travel(START, tick=False) as traveller, PrintingService(spool) as printer:
        for n in range(LETTERS):
            ask_by_post(email=f"siege{n}@exemple.fr")
        queued = list(OutboxLetter.objects.order_by("id"))
        codes = {letter.reference: letters.unseal(letter)["code"] for letter in queued}

        # The folder goes away in the middle of a pass: between the third letter's PDF and its manifest.
        real_write = letter_worker._write_atomically

        def write_then_lose_the_folder(folder, name, data):
            real_write(folder, name, data)
            if name == f"{queued[FAULT_AT].reference}.pdf":
                outage.begin()

        monkeypatch.setattr(letter_worker, "_write_atomically", write_then_lose_the_folder)
        handed = hand_over_due()
        monkeypatch.undo()
        assert printer.broken == []
        assert handed == FAULT_AT
        handed_early = {path.name: path.stat().st_mtime_ns for path in spool.parent.glob(f"{spool.name}*/*")}
        states = {letter.reference: letter for letter in OutboxLetter.objects.all()}
        for letter in queued[FAULT_AT:]:
            failed = states[letter.reference]
            assert failed.status == "pending" and failed.attempts == 1 and failed.claimed_by == ""
            assert failed.last_error.split(":")[0] in outage.errors
            assert failed.next_attempt_at >= START + timedelta(seconds=30)
        assert {states[letter.reference].status for letter in queued[:FAULT_AT]} == {"sent"}

        traveller.shift(timedelta(seconds=20))
        assert hand_over_due() == 0  # not due yet: nothing tried
        assert {letter.attempts for letter in OutboxLetter.objects.filter(status="pending")} == {1}
        traveller.shift(timedelta(seconds=14))  # due again, still unwritable
        assert hand_over_due() == 0
        retried = OutboxLetter.objects.filter(status="pending")
        assert retried.count() == LETTERS - FAULT_AT and {letter.attempts for letter in retried} == {2}
        assert all(letter.next_attempt_at >= clock.now() + timedelta(seconds=60) for letter in retried)  # doubled

        outage.end()  # back, with what it held: two letters, and the third's PDF without its manifest
        held = files_in(spool)
        assert held == sorted(
            [f"{letter.reference}.{suffix}" for letter in queued[:FAULT_AT] for suffix in ("json", "pdf")]
            + [f"{queued[FAULT_AT].reference}.pdf"]
        )
        renamed_before = len(printer.renamed)
        traveller.shift(timedelta(seconds=70))
        assert hand_over_due() == LETTERS - FAULT_AT

    assert printer.broken == []
    assert len(printer.renamed) - renamed_before == 2 * (LETTERS - FAULT_AT)  # it saw each file get its name
    early = {letter.reference for letter in queued[:FAULT_AT]}
    expected = sorted(f"{letter.reference}.{suffix}" for letter in queued for suffix in ("json", "pdf"))
    assert files_in(spool) == expected  # each letter once, no temporary file left
    for letter in OutboxLetter.objects.all():
        assert letter.status == "sent" and letter.context_encrypted == ""
        assert letter.attempts == (1 if letter.reference in early else 3)
        pdf = spool / f"{letter.reference}.pdf"
        manifest = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        assert manifest["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
        assert manifest["pages"] == len(PdfReader(pdf).pages) == letter.pages
        assert code_in(pdf) == codes[letter.reference]
    handed_early.pop(f"{queued[FAULT_AT].reference}.pdf")  # announced by no manifest: written again
    for name, written in handed_early.items():  # the letters handed over before the outage: not again
        assert (spool / name).stat().st_mtime_ns == written, name
    print(
        f"\nDossier des courriers indisponible : {LETTERS} courriers, {FAULT_AT} remis avant, "
        f"{LETTERS - FAULT_AT} remis au retour, {len(files_in(spool))} fichiers ({LETTERS} PDF + {LETTERS} "
        f"manifestes), 0 fichier partiel ni manifeste avant son PDF sur {len(printer.renamed)} fichiers nommés"
    )
