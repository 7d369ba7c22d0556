"""Requests waiting for a code (R-CODE-*), whatever their purpose and channel."""

from django.conf import settings
from django.db import models

from codes import registry


class PendingRequest(models.Model):
    """A request waiting for its code (R-CODE-*), of a kind some app declared (codes.registry).

    What each kind may do (life, channel, email claim, availability rule, what activation
    applies) is its declaration; ``kind`` stores its name. ``held_email`` carries a unique
    constraint: it is the claim on the email (R-MAIL-3) while the request is live, cleared
    when the request is used, replaced or found expired. Two concurrent requests for the
    same email cannot both hold it, on any database. The payload (hashes and personal
    data) is wiped as soon as the request is used or void; dead rows are purged.
    """

    # The choices are the registry's, read when used: the apps declare their kinds after
    # the models are loaded (AppConfig.ready), and a new kind needs no migration.
    kind = models.CharField(max_length=20, choices=registry.choices)
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
