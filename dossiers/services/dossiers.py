"""Writes of dossiers."""

from datetime import datetime

from dossiers.models import Dossier


def open_dossier(*, siren: str, name: str, now: datetime) -> Dossier:
    """Return the dossier of siren, created if it is new, its name refreshed from the register."""
    dossier, created = Dossier.objects.get_or_create(siren=siren, defaults={"name": name, "created_at": now})
    if not created and name and dossier.name != name:
        dossier.name = name
        dossier.save(update_fields=["name"])
    return dossier
