from registre.models import Company


def company_name(siren: str) -> str | None:
    """Return the raison sociale of siren, or None when unknown or not diffusible (R-SIREN-2)."""
    return Company.objects.filter(siren=siren).exclude(name="").values_list("name", flat=True).first()
