"""Requests waiting for a code (R-CODE-*), whatever their purpose and channel."""

from django.conf import settings
from django.db import models


class PendingRequest(models.Model):
    """A request waiting for its code (R-CODE-*): creation, email change, option, password reset.

    What each kind may do (life, email claim, availability rule, what activation applies)
    is in one table, codes.requests.POLICIES. ``held_email`` carries a unique
    constraint: it is the claim on the email (R-MAIL-3) while the request is live, cleared
    when the request is used, replaced or found expired. Two concurrent requests for the
    same email cannot both hold it, on any database. The payload (hashes and personal
    data) is wiped as soon as the request is used or void; dead rows are purged.
    """

    class Kind(models.TextChoices):
        CREATION = "creation", "Création d'espace"
        EMAIL_CHANGE = "email_change", "Modification de l'adresse électronique"
        OPTION = "option", "Option pour l'accès sans certificat"
        PASSWORD_RESET = "password_reset", "Mot de passe oublié"
        OPTION_RECOVERY = "option_recovery", "Option sans certificat, hors de l'espace"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    email = models.EmailField(max_length=100)
    held_email = models.EmailField(max_length=100, null=True, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    payload = models.JSONField(default=dict)  # hashes only, never a secret in clear
    space = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="pending_requests")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "espace_pendingrequest"  # created by the accounts app's migrations
        indexes = [models.Index(fields=["email"])]
