"""The names of the request kinds entreprise declares (entreprise.requests), as stored in PendingRequest.kind."""

from django.db import models


class Kind(models.TextChoices):
    DOSSIER_EMAIL = "dossier_email", "Adresse électronique de l'entreprise"
