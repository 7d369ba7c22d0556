"""The récapitulatif PDF (R-PDF-1): one A4 page, a tagged PDF/UA-1 document made by WeasyPrint
from an HTML template, with real, extractable text in an embedded font.

Tagged means readable by a screen reader as public documents must be: a title shown by the
reader, the language (fr), structure tags (H1, H2, Table/TR/TH/TD, P) in reading order.

The trust answer is not an input of this module: it cannot be printed by mistake
(R-TRUST-2, as in the 2026 guide).
"""

import logging
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from django.template import Context, Engine
from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from core.clock import paris

HERE = Path(__file__).resolve().parent
# WeasyPrint logs every rendering step at INFO, and warnings that quote the document's text
# (names, addresses: personal data) which the application's logs must not collect.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
PDF_VARIANT = "pdf/ua-1"
TITLE = "VOTRE ESPACE PROFESSIONNEL — RÉCAPITULATIF DE VOS DONNÉES PERSONNELLES"
DOCUMENT_TITLE = "Récapitulatif de vos données personnelles — Espace professionnel"
# R-SIREN-2: a French company's name comes from the register. Unknown there, the name is
# "not known" and the seed's advice (guide 003) is a note under the table, never the name.
UNKNOWN_COMPANY = "Non connue"
SIE_NOTE = (
    "Si la raison sociale est absente ou erronée, veuillez prendre contact avec votre "
    "Service des Impôts des Entreprises."
)
# A foreign company is in no register the product holds and the form asks no name for it.
FOREIGN_COMPANY = "Non renseignée (entreprise étrangère)"
# The page must stay one sheet whatever the values (R-PDF-1). The form's limits (60 to 100
# characters a field, 4 address lines) fit at the first size; longer values, which only a
# bug or a hand-made RecapData can bring, shrink the font, and then are cut ("…"): every
# field and the footer stay on the page. Attempts are (characters kept per value, size in pt).
ATTEMPTS = (*((200, size) for size in (10, 8.5, 7, 5.5)), (60, 5.5))
MAX_ADDRESS_LINES = 6
# "Dossiers et habilitations": at most this many dossiers of at most this many lines (one a role)
# are named, the others counted. Values no caller gives (the product names 8 dossiers,
# RECAP_DOSSIERS_SHOWN) that still push a second page at the last size are all counted.
MAX_DOSSIERS = 10
MAX_HOLDING_LINES = 3


@dataclass(frozen=True, kw_only=True)
class RecapDossier:
    """A dossier the space holds habilitations for, as its caller words them (plain data)."""

    siren: str  # as displayed ("732 829 320")
    name: str
    holdings: list[str] = field(default_factory=list)  # one line per role: "Titulaire (3 services) : …"


@dataclass(frozen=True, kw_only=True)
class RecapData:
    civility: str
    last_name: str
    first_name: str
    subscriber_number: str
    phone: str
    login_email: str
    address_lines: list[str] = field(default_factory=list)  # postal address, one line each
    foreign_company: bool = False
    company_identifier: str = ""  # as displayed ("987 654 324")
    company_name: str | None = None
    trust_question: str = ""
    # "Dossiers et habilitations": the first dossiers by name, and how many more the space holds
    # (the page stays one page; the space's own list is "Consulter mes services").
    dossiers: list[RecapDossier] = field(default_factory=list)
    other_dossiers: int = 0
    # Required: the caller passes core.clock.now(), so that the footer is the clock's time
    # (settable in tests), never the renderer's own reading of the system clock.
    created_at: datetime


def footer_text(created_at: datetime) -> str:
    """Return "Votre espace professionnel : document créé le 23/02/2026 à 16h05mn25s" (Paris)."""
    if created_at.tzinfo is None:
        # A naive time would be read as the server's local time: refuse rather than misdate.
        raise ValueError("created_at must be an aware datetime")
    local = paris(created_at)
    return f"Votre espace professionnel : document créé le {local:%d/%m/%Y} à {local:%Hh%Mmn%Ss}"


def _printable(text: str) -> str:
    """Return text as the PDF can carry it: control characters, surrogates and non-characters
    dropped (they would corrupt the text layer or the HTML parse); line and paragraph
    separators (U+2028, U+2029) made spaces, as a value is one line; a character the embedded
    font cannot draw shown as U+FFFD "�" (see _drawable); everything else kept as typed."""
    return "".join(
        " " if unicodedata.category(ch) in ("Zl", "Zp") else ch if _drawable(ch) else "\ufffd"
        for ch in str(text)
        if unicodedata.category(ch) not in ("Cc", "Cs") and not _noncharacter(ch)
    )


def _drawable(ch: str) -> bool:
    # A character outside the embedded font would be drawn by whatever font the machine has,
    # or as a blank .notdef box whose text mapping pypdf then misreads, garbling the whole
    # value's text layer. The font covers Latin, Greek, Cyrillic, Hebrew, Arabic and common
    # symbols; format characters (bidi marks, joiners) are drawn by no font and kept.
    return ord(ch) in _font_characters() or unicodedata.category(ch) == "Cf"


@lru_cache(maxsize=1)
def _font_characters() -> frozenset[int]:
    return frozenset(TTFont(HERE / "fonts" / "DejaVuSans.ttf", lazy=True).getBestCmap())


def _noncharacter(ch: str) -> bool:
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _company_name(data: RecapData) -> str:
    if data.foreign_company:
        return FOREIGN_COMPANY
    return data.company_name or UNKNOWN_COMPANY


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _address(lines: list[str]) -> list[str]:
    """Return the postal address, one line each, at most MAX_ADDRESS_LINES lines."""
    kept = list(lines[:MAX_ADDRESS_LINES])
    if len(lines) > MAX_ADDRESS_LINES:
        kept[-1] += " …"
    return kept


def _sections(data: RecapData, limit: int) -> list[dict]:
    def row(label: str, *lines: str) -> dict:
        return {"label": label, "lines": [_cut(_printable(line), limit) for line in lines]}

    return [
        {
            "title": "Vos coordonnées",
            "rows": [
                row("Civilité :", data.civility),
                row("Nom :", data.last_name),
                row("Prénom :", data.first_name),
                row("N° d'abonné :", data.subscriber_number),
                row("Téléphone :", data.phone),
                row("Adresse électronique de connexion :", data.login_email),
                row("Adresse :", *_address(data.address_lines)),
            ],
        },
        {
            "title": "Votre entreprise d'appartenance",
            "rows": [
                row("Entreprise étrangère :", "oui" if data.foreign_company else "non"),
                row("SIREN ou équivalent :", data.company_identifier),
                row("Dénomination :", _company_name(data)),
            ],
            "note": None if data.foreign_company else SIE_NOTE,
        },
        {
            "title": "Votre question de confiance",
            "rows": [row("Question de confiance :", data.trust_question)],
        },
        *_dossiers_section(data, limit),
    ]


def _dossiers_section(data: RecapData, limit: int) -> list[dict]:
    """Return "Dossiers et habilitations" (none for a space that holds nothing): one row per
    dossier, headed by its SIREN and name (which come from the register: cut as any value)."""
    named = data.dossiers[:MAX_DOSSIERS]
    others = data.other_dossiers + len(data.dossiers) - len(named)
    if not named and not others:
        return []

    def text(value: str) -> str:
        return _cut(_printable(value), limit)

    def holdings(lines: list[str]) -> list[str]:
        kept = list(lines[:MAX_HOLDING_LINES])
        if len(lines) > MAX_HOLDING_LINES:
            kept[-1] += " …"
        return [text(line) for line in kept]

    plural = "s" if others > 1 else ""
    where = "la liste complète est dans votre espace, rubrique « Consulter mes services (habilitations) »."
    if named:
        note = f"… et {others} autre{plural} dossier{plural} : {where}" if others else None
    else:
        note = f"Vous détenez des habilitations sur {others} dossier{plural} : {where}"
    return [
        {
            "title": "Dossiers et habilitations",
            "rows": [
                {"label": text(f"{dossier.siren} {dossier.name}".strip()), "lines": holdings(dossier.holdings)}
                for dossier in named
            ],
            "note": note,
        }
    ]


def _counted(data: RecapData) -> RecapData:
    """Return data with its dossiers counted, not named: what always fits the one page."""
    return replace(data, dossiers=[], other_dossiers=data.other_dossiers + len(data.dossiers))


# What costs to build (the template, the stylesheets, the fonts' configuration) is built once
# per process. Pango's font map is not made for concurrent use from several threads (gunicorn
# runs threads): renders take turns, each is a few tens of milliseconds.
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _template():
    return Engine(dirs=[str(HERE / "templates")], autoescape=True).get_template("recapitulatif/recap.html")


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # base_url: the @font-face rules name the fonts shipped beside this file, so the PDF embeds
    # the same DejaVu everywhere whatever fonts the machine has.
    return CSS(filename=str(HERE / "recap.css"), base_url=str(HERE) + "/", font_config=_font_config())


@lru_cache(maxsize=len(ATTEMPTS))
def _size_stylesheet(size: float) -> CSS:
    return CSS(string=f"html {{ font-size: {size}pt; }}", font_config=_font_config())


def render(data: RecapData) -> bytes:
    """Return the one-page tagged PDF of data. Long values wrap; the font shrinks if they must."""
    footer = footer_text(data.created_at)
    with _LOCK:
        for limit, size in ATTEMPTS[:-1]:
            document = _layout(data, footer, limit, size)
            if len(document.pages) == 1:
                break
        else:
            document = _layout(data, footer, *ATTEMPTS[-1])
            if len(document.pages) > 1:  # what is left to shrink is the list of dossiers
                document = _layout(_counted(data), footer, *ATTEMPTS[-1])
        return document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_scope_row_headers)


class WeasyPrintRenderer:
    """The récapitulatif by WeasyPrint (recapitulatif.interfaces.RecapRenderer): HTML and CSS
    of this app, fonts it ships. Production and development alike: it needs no network."""

    def render(self, data: RecapData) -> bytes:
        return render(data)


def _layout(data: RecapData, footer: str, limit: int, size: float):
    """Return WeasyPrint's laid-out document of data, values cut at limit, text at size pt."""
    html = _template().render(
        Context(
            {"document_title": DOCUMENT_TITLE, "title": TITLE, "sections": _sections(data, limit), "footer": footer}
        )
    )
    return HTML(string=html, base_url=str(HERE) + "/").render(
        font_config=_font_config(), stylesheets=[_stylesheet(), _size_stylesheet(size)], pdf_variant=PDF_VARIANT
    )


def _scope_row_headers(document, pdf) -> None:
    """Give each header cell (every label is a <th scope="row">) the PDF /Scope /Row attribute.

    WeasyPrint links each value cell to its label with /Headers and /ID but writes no /Scope:
    PDF/UA checkers and some screen readers look for /Scope on TH to tie a value to its label.
    """
    for element in pdf.objects:
        if isinstance(element, dict) and element.get("S") == "/TH":
            element["A"]["Scope"] = "/Row"
