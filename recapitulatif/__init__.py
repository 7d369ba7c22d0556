"""The récapitulatif PDF of a space (R-PDF-1)."""

from recapitulatif.pdf import RecapData, render

__all__ = ["RecapData", "render"]
