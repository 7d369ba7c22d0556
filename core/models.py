"""What every part of the product records: the audit log and the shared rate-limit counters."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One security event (SPEC §4): never a password, answer or code."""

    at = models.DateTimeField(db_index=True)
    # "namespace.name" (core.audit.EventKinds): each app declares its own kinds, without a
    # migration and without core knowing them.
    kind = models.CharField(max_length=40)
    # No index of its own: audit_space_at below starts with the space (one B-tree fewer to
    # write at each event).
    space = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="audit_events", db_index=False
    )
    email = models.CharField(max_length=100, blank=True)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict)
    # What the event is about besides the space (R-AUDIT-2): a dossier, a service, another
    # space, named by "app_label.model" and primary key, so that core knows none of them.
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "espace_auditevent"  # created by the accounts app's migrations (label espace)
        ordering = ["-at", "-id"]
        # "Historique de sécurité": a space's events, newest first.
        indexes = [models.Index(fields=["space", "-at"], name="audit_space_at")]


class ThrottleCounter(models.Model):
    """A rate-limit counter kept in the database, shared by every app node (R-THROTTLE-1)."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True)

    class Meta:
        db_table = "espace_throttlecounter"  # created by the accounts app's migrations
