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


class OutboxLetter(models.Model):
    """A letter waiting for, or past, its hand-over to the printing service (R-ADH-3).

    Written in the transaction of the request whose code it carries (codes.letters), so a
    request that rolls back leaves no letter. ``context`` (the template's values: the code
    among them) is encrypted at rest (core.crypto) and wiped once the letter is handed over;
    nothing else here holds a secret: ``reference`` is drawn at random, not from the code,
    and ``last_error`` never quotes the context.

    A worker claims due rows with a lease (claimed_by, claimed_until), renders and writes
    each letter outside any transaction, then records the result (codes.letter_worker).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        SENT = "sent", "Remis à l'imprimeur"
        FAILED = "failed", "Échec définitif"

    reference = models.CharField(max_length=20, unique=True)
    address = models.JSONField()  # the recipient's postal address, one line each
    template = models.CharField(max_length=200)
    context_encrypted = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True)
    pages = models.PositiveSmallIntegerField(null=True)
    last_error = models.CharField(max_length=200, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "courrier"
