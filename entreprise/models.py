"""The company's data kept in its dossier (SPEC §5): bank accounts (R-BANK-1)."""

from django.conf import settings
from django.db import models

from core import crypto
from entreprise import sepa


class MandateStatus(models.TextChoices):
    """The status of an account for one SEPA scheme, as the list shows it (R-BANK-1)."""

    PENDING = "pending", "En attente du mandat signé"
    VALID = "valid", "Valide"
    REVOKED = "revoked", "Révoqué"


class BankAccount(models.Model):
    """A bank account of a dossier the company's taxes may be debited from (R-BANK-1).

    The IBAN is stored encrypted (core.crypto, a key of its own), beside its masked form
    (shown in lists, emails, audit) and a keyed digest (the same account twice in a dossier is
    refused without decrypting every row). Statuses, per scheme:

    - CORE: "Valide" once the account is confirmed in the space: the electronic consent given
      there is the CORE mandate, which the debtor's bank need not register;
    - Interentreprises/B2B: "En attente du mandat signé" until support records that the bank
      registered the signed mandate (``confirm_mandate``), then "Valide";
    - both "Révoqué" once the account is removed; the row stays (``removed_at``) for the audit
      and the RUM is never given again.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="bank_accounts")
    iban_encrypted = models.TextField()
    iban_masked = models.CharField(max_length=50)
    iban_digest = models.CharField(max_length=64)
    bic = models.CharField(max_length=11, blank=True)
    holder = models.CharField(max_length=70)
    holder_address = models.JSONField(default=list)  # the postal lines, in order
    rum = models.CharField(max_length=sepa.RUM_MAX, unique=True)
    core_status = models.CharField(max_length=10, choices=MandateStatus.choices, default=MandateStatus.VALID)
    b2b_status = models.CharField(max_length=10, choices=MandateStatus.choices, default=MandateStatus.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    mandate_confirmed_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One live account per IBAN and dossier; a removed one may be added again (a new RUM).
            models.UniqueConstraint(
                fields=["dossier", "iban_digest"],
                condition=models.Q(removed_at__isnull=True),
                name="bank_account_live_iban_per_dossier",
            ),
        ]

    def __str__(self):
        return f"{self.iban_masked} ({self.rum})"

    @property
    def iban(self) -> str:
        """The whole IBAN: for its owner's mandate only (never a list, an email, a log)."""
        return crypto.decrypt(self.iban_encrypted, purpose=sepa.IBAN_PURPOSE)

    def set_iban(self, iban: str) -> None:
        self.iban_encrypted = crypto.encrypt(iban, purpose=sepa.IBAN_PURPOSE)
        self.iban_masked = sepa.masked(iban)
        self.iban_digest = sepa.digest(iban)
