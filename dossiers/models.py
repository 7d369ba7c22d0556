"""Dossiers: the companies, by SIREN, that spaces hold or ask habilitations for (SPEC §5)."""

from django.db import models


class Dossier(models.Model):
    """A company by its SIREN (R-SIREN-1), created at its first adhesion request.

    ``name`` is the raison sociale the register gave when the dossier was opened, so that
    the home and the lists sort and search by name without asking the register for each row
    (R-HOME-1: as fast at 1,000 dossiers as at 1); ``dossiers.services.open_dossier``
    refreshes it at each new request.
    """

    siren = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    # R-ENT-1: the company's email, proven by a code sent to it (mode simplifié, R-ADH-4, or
    # "Modifier l'adresse électronique de l'entreprise"); blank until one is proven.
    company_email = models.EmailField(max_length=100, blank=True)
    company_email_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "siren"]
        indexes = [models.Index(fields=["name", "siren"], name="dossier_name_siren")]

    def __str__(self):
        return f"{self.siren} {self.name}"
