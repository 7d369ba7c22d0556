"""Fields the account journeys share that need the product: a request's code."""

from codes import tokens
from core.forms import CodeField


def code_field(**kwargs) -> CodeField:
    """Return the field of a pending request's code, in the shape codes.tokens draws (R-CODE-1)."""
    return CodeField(**{"length": tokens.LENGTH, "well_formed": tokens.well_formed, **kwargs})
