"""The récapitulatif PDF (R-PDF-1): one A4 page of real, extractable text in an embedded font.

The trust answer is not an input of this module: it cannot be printed by mistake
(R-TRUST-2, as in the 2026 guide).
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS = Path(__file__).resolve().parent / "fonts"
PARIS = ZoneInfo("Europe/Paris")
TITLE = "VOTRE ESPACE PROFESSIONNEL — RÉCAPITULATIF DE VOS DONNÉES PERSONNELLES"
UNKNOWN_COMPANY = (
    "Non connue — si la raison sociale est erronée ou absente, veuillez prendre contact avec "
    "votre Service des Impôts des Entreprises."
)


@dataclass(frozen=True)
class RecapData:
    civility: str
    last_name: str
    first_name: str
    subscriber_number: str
    phone: str
    login_email: str
    address_lines: list[str] = field(default_factory=list)
    foreign_company: bool = False
    company_identifier: str = ""  # as displayed ("987 654 324")
    company_name: str | None = None
    trust_question: str = ""
    created_at: datetime | None = None


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    # TrueType fonts are embedded (subset) in the PDF: accents and any Latin, Greek or
    # Cyrillic name print the same on every reader, and the text stays extractable.
    pdfmetrics.registerFont(TTFont("DejaVu", FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", FONTS / "DejaVuSans-Bold.ttf"))


def _printable(text: str) -> str:
    """Drop control characters that would corrupt the text layer; keep everything else."""
    return "".join(ch for ch in str(text) if ch >= " " and ch != "\x7f")


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Split text into lines no wider than width, breaking long words if needed."""
    lines, current = [], ""
    for word in _printable(text).split(" "):
        candidate = f"{current} {word}" if current else word
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:  # a single word longer than the line: cut it
            if pdfmetrics.stringWidth(current + ch, font, size) > width and current:
                lines.append(current)
                current = ""
            current += ch
    if current or not lines:
        lines.append(current)
    return lines


def footer_text(created_at: datetime) -> str:
    """Return "Votre espace professionnel : document créé le 23/02/2026 à 16h05mn25s" (Paris)."""
    local = created_at.astimezone(PARIS)
    return f"Votre espace professionnel : document créé le {local:%d/%m/%Y} à {local:%Hh%Mmn%Ss}"


def _sections(data: RecapData) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            "Vos coordonnées",
            [
                ("Civilité :", data.civility),
                ("Nom :", data.last_name),
                ("Prénom :", data.first_name),
                ("N° d'abonné :", data.subscriber_number),
                ("Téléphone :", data.phone),
                ("Adresse électronique de connexion :", data.login_email),
                ("Adresse :", " / ".join(data.address_lines)),
            ],
        ),
        (
            "Votre entreprise d'appartenance",
            [
                ("Entreprise étrangère :", "oui" if data.foreign_company else "non"),
                ("SIREN ou équivalent :", data.company_identifier),
                ("Dénomination :", data.company_name or UNKNOWN_COMPANY),
            ],
        ),
        ("Votre question de confiance", [("Question de confiance :", data.trust_question)]),
    ]


def render(data: RecapData) -> bytes:
    """Return the one-page PDF of data. Long values wrap; the font shrinks if they must."""
    _register_fonts()
    created_at = data.created_at or datetime.now(PARIS)
    for size in (10, 9, 8, 7, 6, 5, 4):
        pdf = _draw(data, created_at, size)
        if pdf is not None:
            return pdf
    return _draw(data, created_at, 4, force=True)


def _draw(data: RecapData, created_at: datetime, size: float, force: bool = False) -> bytes | None:
    buffer = BytesIO()
    width, height = A4
    margin = 20 * mm
    # The initial font too: otherwise a non-embedded Helvetica is referenced on the page.
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName="DejaVu", initialFontSize=size)
    canvas.setTitle("Récapitulatif de vos données personnelles")
    canvas.setAuthor("")
    canvas.setCreator("Espace professionnel")
    canvas.setSubject("")
    y = height - margin
    title_size = 14  # one line, as the spec writes it: shrink to fit the width
    while pdfmetrics.stringWidth(TITLE, "DejaVu-Bold", title_size) > width - 2 * margin:
        title_size -= 0.5
    canvas.setFont("DejaVu-Bold", title_size)
    canvas.drawCentredString(width / 2, y, TITLE)
    y -= 30
    label_width = 80 * mm  # "Adresse électronique de connexion :" on one line
    value_width = width - 2 * margin - label_width
    lead = size * 1.35
    for title, rows in _sections(data):
        canvas.setFont("DejaVu-Bold", size + 2)
        canvas.drawString(margin, y, title)
        y -= lead * 1.6
        for label, value in rows:
            label_lines = _wrap(label, "DejaVu-Bold", size, label_width - 4 * mm)
            value_lines = _wrap(value, "DejaVu", size, value_width)
            for index in range(max(len(label_lines), len(value_lines))):
                if index < len(label_lines):
                    canvas.setFont("DejaVu-Bold", size)
                    canvas.drawString(margin, y, label_lines[index])
                if index < len(value_lines):
                    canvas.setFont("DejaVu", size)
                    canvas.drawString(margin + label_width, y, value_lines[index])
                y -= lead
            y -= lead * 0.3
        y -= lead
    if y < margin + 20 and not force:
        return None
    canvas.setFont("DejaVu", 8)
    canvas.drawString(margin, margin - 8 * mm, footer_text(created_at))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
