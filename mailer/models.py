from django.db import models


class OutboxEmail(models.Model):
    """An email waiting for, or past, delivery (R-EMAIL-2).

    The body is encrypted at rest (see mailer.outbox): an activation email carries a code,
    and no secret may sit in clear in the database. It is wiped once delivered.

    A worker claims a pending row with a lease (claimed_by, claimed_until) in a short
    transaction, talks to SMTP outside any transaction, then records the result in another:
    a row whose lease has run out (its worker crashed) is due again (mailer.worker).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec définitif"
        KEPT = "kept", "Conservé (développement)"

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=255)
    body_encrypted = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True)
    last_error = models.CharField(max_length=200, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "courriel"
