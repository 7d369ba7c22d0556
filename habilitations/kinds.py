"""The names of the request kinds habilitations declares (habilitations.requests), as stored in PendingRequest.kind."""

from django.db import models


class Kind(models.TextChoices):
    ADHESION = "adhesion", "Adhésion aux services"
    SUBSTITUTION = "substitution", "Substitution du titulaire"
