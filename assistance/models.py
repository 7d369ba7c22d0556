"""Support agents (R-AST-1): accounts of their own, never spaces, with a second factor.

Nothing here is a secret in clear: the password is an Argon2id hash (the project's hasher),
the TOTP secret is encrypted under a key of its own (core.crypto, purpose
``assistance.totp``), recovery codes and session tokens are keyed digests.
"""

from django.db import models
from django.db.models import Q


class Agent(models.Model):
    """A support agent: an email to log in with, a name the history shows, a password, a TOTP."""

    email = models.EmailField("adresse électronique", max_length=100, unique=True)
    name = models.CharField("nom", max_length=100)
    password = models.CharField(max_length=256, blank=True)  # "" until enrolment (no login possible)
    totp_secret = models.TextField(blank=True)  # encrypted (core.crypto); "" until enrolment starts
    totp_last_step = models.BigIntegerField(null=True, blank=True)  # a code is accepted once (no replay)
    enrolled_at = models.DateTimeField(null=True, blank=True)  # TOTP confirmed: only then the console opens
    # The one-time enrolment link of ``manage.py create_agent``: its digest, never the token.
    enrolment_digest = models.CharField(max_length=64, blank=True)
    enrolment_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "agent"
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment_digest"], condition=~Q(enrolment_digest=""), name="one_enrolment_link"
            )
        ]

    def __str__(self):
        return self.email


class RecoveryCode(models.Model):
    """One of an agent's ten recovery codes, shown once at enrolment, each usable once."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "digest"], name="one_recovery_code")]


class AgentSession(models.Model):
    """An agent's session, server-side, named by the digest of its cookie's random token.

    ``stage`` is how far the sign-in went: the password only (the second factor is asked
    next), the password of an agent still to enrol its TOTP, or open (the console).
    """

    class Stage(models.TextChoices):
        SECOND_FACTOR = "second_factor", "Second facteur attendu"
        ENROLMENT = "enrolment", "Enrôlement du second facteur"
        OPEN = "open", "Ouverte"

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="sessions")
    digest = models.CharField(max_length=64, unique=True)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    created_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.agent_id} {self.stage}"
