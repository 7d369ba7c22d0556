"""The names of the request kinds accounts declares (accounts.requests), as stored in PendingRequest.kind.

A module of names only, importing nothing of the product: services (spaces, passwords) and
flows name kinds without importing their declarations, which import the services.
"""

from django.db import models


class Kind(models.TextChoices):
    CREATION = "creation", "Création d'espace"
    EMAIL_CHANGE = "email_change", "Modification de l'adresse électronique"
    OPTION = "option", "Option pour l'accès sans certificat"
    PASSWORD_RESET = "password_reset", "Mot de passe oublié"
    OPTION_RECOVERY = "option_recovery", "Option sans certificat, hors de l'espace"
    COMPANY_EMAIL = "company_email", "Adresse électronique de l'entreprise (mode simplifié)"
