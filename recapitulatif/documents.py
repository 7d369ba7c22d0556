"""Tagged PDF documents other than the récapitulatif: HTML its caller made (the codes app's
letters), laid out by the same WeasyPrint, fonts and PDF/UA-1 variant as the recap (R-PDF-1).

The caller's HTML gives the title (``<title>``), the language (``<html lang="fr">``) and the
structure (headings, paragraphs, lists in reading order), which become the PDF's tags; its
stylesheet names the families of documents.css ("Document", "Document Mono"). Values typed by
people go through ``printable`` first, as the recap's do.
"""

from dataclasses import dataclass
from functools import lru_cache

from weasyprint import CSS, HTML

from recapitulatif.pdf import HERE, PDF_VARIANT, _font_config, _LOCK, _printable

__all__ = ["Document", "printable", "render_html"]

printable = _printable


@dataclass(frozen=True)
class Document:
    """A rendered PDF and its number of pages (a printing service's manifest names it)."""

    pdf: bytes
    pages: int


@lru_cache(maxsize=1)
def _base_stylesheet() -> CSS:
    return CSS(filename=str(HERE / "documents.css"), base_url=str(HERE) + "/", font_config=_font_config())


@lru_cache(maxsize=8)
def _stylesheet(css: str) -> CSS:
    return CSS(string=css, base_url=str(HERE) + "/", font_config=_font_config())


def render_html(html: str, *, css: str = "") -> Document:
    """Return the tagged PDF/UA-1 document of html, laid out with the fonts and then css."""
    stylesheets = [_base_stylesheet(), *([_stylesheet(css)] if css else [])]
    with _LOCK:  # Pango's font map is not for concurrent threads (recapitulatif.pdf)
        document = HTML(string=html, base_url=str(HERE) + "/").render(
            font_config=_font_config(), stylesheets=stylesheets, pdf_variant=PDF_VARIANT
        )
        return Document(pdf=document.write_pdf(pdf_variant=PDF_VARIANT), pages=len(document.pages))
