"""Identifiers as people read them: ``{{ dossier.siren|siren }}`` → "732 829 320" (R-SIREN-1)."""

from django import template

from core.identity import format_siren

register = template.Library()


@register.filter(name="siren")
def siren(value) -> str:
    """Return a SIREN in groups of three digits, the way every page prints it."""
    return format_siren(str(value or ""))
