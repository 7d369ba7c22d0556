"""Reading the letters a test's requests posted (R-ADH-3): the worker hands them over, the test
reads the code back from the PDF, as the company's mail room would."""

from pathlib import Path

from codes import letter_worker
from codes.models import OutboxLetter
from tests.codes.letter_files import code_in, pdfs_in, text_of


def letters_in(spool: Path) -> list[Path]:
    """Hand over the letters due, then return the PDFs in spool."""
    letter_worker.hand_over_due()
    return pdfs_in(spool)


def last_letter(spool: Path) -> Path:
    """Return the PDF of the last letter queued, handed over to spool."""
    letters_in(spool)
    return spool / f"{OutboxLetter.objects.order_by('-id').first().reference}.pdf"


def last_code(spool: Path) -> str:
    return code_in(last_letter(spool))


def last_text(spool: Path) -> str:
    return text_of(last_letter(spool))
