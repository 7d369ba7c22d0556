"""The catalogue of online services (R-CAT-1): reference data, loaded by a data migration.

Codes are stable: habilitations, requests and SERVICE_URLS name a service by its code, so a
code is never renamed nor reused; a label may change.
"""

from django.db import models


class Family(models.Model):
    """A block of guide 001's home list: Consulter, Déclarer, Payer, Démarches, Messagerie."""

    code = models.SlugField(max_length=20, unique=True)
    label = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["position"]
        verbose_name = "famille de services"

    def __str__(self):
        return self.label


class Service(models.Model):
    """One online service of a family, e.g. "Déclarer › TVA" (code ``declarer_tva``)."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="services")
    position = models.PositiveSmallIntegerField()
    is_payment = models.BooleanField(default=False)  # a *Payer* service (R-BANK-1)

    class Meta:
        ordering = ["family__position", "position"]
        constraints = [models.UniqueConstraint(fields=["family", "position"], name="catalogue_service_position")]
        verbose_name = "service"

    def __str__(self):
        return f"{self.family.label} › {self.label}"
