"""The letters handed over in LETTER_SPOOL_DIR, read back as a printing service reads them (PDF
text with pypdf, manifest as JSON), shared by the letter tests."""

import io
import json
import re
from pathlib import Path

from pypdf import PdfReader

CODE_RE = re.compile(r"^([A-Za-z0-9]{12})$", re.M)  # the code, alone on its line


def files_in(folder: Path) -> list[str]:
    """Return the names of every file of folder, hidden temporary files included."""
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def pdfs_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pdf")) if folder.exists() else []


def text_of(pdf: bytes | Path) -> str:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def code_in(pdf: bytes | Path) -> str:
    """Return the code printed in the letter (the one line of 12 letters and digits)."""
    return CODE_RE.search(text_of(pdf)).group(1)


def manifest_of(pdf: Path) -> dict:
    return json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))


# --- A request kind of a test app whose code goes by post, valid 60 days (R-ADH-2) ---

LETTER_KIND = "courrier_essai"
ADDRESS = ["SARL ALERIS", "Madame Lila ROSEMONDE", "Bâtiment B", "10 RUE DE L'ÉGLISE", "25000 BESANÇON"]


def register_letter_kind() -> None:
    from datetime import timedelta

    from codes import registry

    registry.register(
        name=LETTER_KIND,
        label="Adhésion aux services (essai)",
        life=timedelta(days=60),
        channel="post",
        holds_email=False,
        available=registry.always_available,
        message="codes/letters/activation.html",
    )


def ask_by_post(email: str = "lila.rosemonde@exemple.fr", address=ADDRESS):
    """Open a request of the test kind, as an adhesion does (in the caller's transaction)."""
    from codes.process import CodeProcess
    from core import clock

    return CodeProcess.initiate(kind=LETTER_KIND, email=email, payload={}, now=clock.now(), address=address)
