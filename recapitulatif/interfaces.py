"""The contract of the récapitulatif's renderer (R-PDF-1)."""

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from recapitulatif.pdf import RecapData


@runtime_checkable
class RecapRenderer(Protocol):
    """Makes the récapitulatif PDF of a space; ``settings.RECAP_RENDERER`` names the
    implementation.

    ``render(data)`` returns the bytes of one A4 page whatever the values (R-PDF-1): a tagged,
    PDF/UA-1 document a screen reader can read (title, language fr, structure in reading
    order), with real, extractable text in an embedded font, and the footer dated by
    ``data.created_at`` (the product's clock), never by the renderer's own reading of the
    time. Its input holds no trust answer, so it cannot print one (R-TRUST-2).
    """

    def render(self, data: "RecapData") -> bytes:
        """Return the PDF of data."""
