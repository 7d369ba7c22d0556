"""The récapitulatif PDF of a space (R-PDF-1)."""

from core import contracts
from recapitulatif.interfaces import RecapRenderer
from recapitulatif.pdf import RecapData, RecapDossier

__all__ = ["RecapData", "RecapDossier", "render"]


def render(data: RecapData) -> bytes:
    """Return the récapitulatif PDF of data, by the renderer settings.RECAP_RENDERER names."""
    return contracts.load("RECAP_RENDERER", RecapRenderer).render(data)
