"""Data model of the professional space (SPEC §1)."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac


class AccessMode(models.TextChoices):
    PASSWORD = "password", "Adresse électronique et mot de passe"
    CERTIFICATE = "certificate", "Certificat"


class Civility(models.TextChoices):
    MADAME = "MME", "Madame"
    MONSIEUR = "M", "Monsieur"


TRUST_QUESTIONS = [  # R-TRUST-1: the first entry is the default
    "Quel est votre surnom ?",
    "Le prénom de votre conjoint(e) ?",
    "Le nom de votre animal de compagnie ?",
    "Quel est votre plat préféré ?",
    "Quelle est votre ville de naissance ?",
    "Quel est le nom de votre école primaire ?",
    "Quel est le prénom de votre meilleur(e) ami(e) d'enfance ?",
]


class SpaceManager(BaseUserManager):
    """Spaces are created by activation (services.spaces), never by createsuperuser."""


class Space(AbstractBaseUser):
    """One person's professional space, opened by password or (legacy) by certificate."""

    objects = SpaceManager()

    subscriber_number = models.CharField("numéro d'abonné", max_length=14, unique=True)
    access_mode = models.CharField(max_length=12, choices=AccessMode.choices, default=AccessMode.PASSWORD)
    # R-MAIL-3: unique among password spaces; certificate spaces have none (NULLs never clash).
    login_email = models.EmailField("adresse électronique de connexion", max_length=100, null=True, unique=True)
    contact_email = models.EmailField("adresse électronique", max_length=100)
    password_changed_at = models.DateTimeField(null=True)
    password_expires_on = models.DateField(null=True)
    # R-EXP-4: the expiry date each reminder was last sent for, so that each is sent once
    # per password (a new password has a new date) even when several nodes run the command.
    reminded_60_days_for = models.DateField(null=True)
    reminded_7_days_for = models.DateField(null=True)

    civility = models.CharField(max_length=3, choices=Civility.choices)
    last_name = models.CharField(max_length=60)
    first_name = models.CharField(max_length=60)
    foreign_company = models.BooleanField(default=False)
    company_identifier = models.CharField("SIREN ou équivalent", max_length=30)
    phone = models.CharField(max_length=20)  # E.164, R-PHONE-1
    street_number = models.CharField(max_length=10, blank=True)
    street_type = models.CharField(max_length=30, blank=True)
    street_name = models.CharField(max_length=100, blank=True)
    address_complement = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    city = models.CharField(max_length=60)
    country = models.CharField(max_length=60, default="FRANCE")

    trust_question = models.CharField(max_length=100)
    trust_answer_hash = models.CharField(max_length=256)  # R-TRUST-2, never in clear

    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    # R-DEL-SPACE-1: a deleted space is a tombstone (accounts.services.deletion): the row stays,
    # so that its subscriber number is never given again and the audit log's rows and the
    # habilitations it held keep their space; every personal datum is blanked.
    deleted_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "subscriber_number"
    EMAIL_FIELD = "contact_email"

    class Meta:
        verbose_name = "espace"
        constraints = [
            models.CheckConstraint(
                name="password_space_has_login_email",
                condition=~Q(access_mode="password") | Q(login_email__isnull=False) | Q(deleted_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.subscriber_number

    def get_session_auth_hash(self) -> str:
        """Return the hash that binds a session to this space's credentials.

        Django's default covers the password only. The login email, the access mode and the
        trust answer are credentials too: an email change (J4), the option for password access
        (J8) or a new trust question (J4, ASVS 5.0 V7.4.3) must end every session of the
        space, as a password change does. A session whose stored hash no longer matches is
        logged out by Django's get_user() on its next request. (The salt never changes:
        sessions of unchanged credentials survive a release.)
        """
        credentials = "\x00".join(
            (self.password or "", self.login_email or "", self.access_mode, self.trust_answer_hash or "")
        )
        return salted_hmac("espace.Space.session_auth_hash", credentials, algorithm="sha256").hexdigest()

    @property
    def display_name(self) -> str:
        """Return "NOM Prénom" as the seeds print it in the header."""
        return f"{self.last_name.upper()} {self.first_name}"

    @property
    def certificate_valid_until(self):
        """Return the end of validity of the space's latest certificate (J7 header), or None."""
        latest = self.certificates.order_by("-not_after").first()
        return latest.not_after if latest else None

    @property
    def civility_short(self) -> str:
        return "Mme" if self.civility == Civility.MADAME else "M."


class PasswordHistory(models.Model):
    """Hashes of a space's previous passwords (R-PWD-3)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="password_history")
    password_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]



class Certificate(models.Model):
    """The X.509 client certificate of a certificate space (J7), known by its SHA-256 fingerprint.

    Only what identifies and describes it is kept: the login compares fingerprints, the
    header shows the end of validity ("Date de validité du certificat").
    """

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="certificates")
    fingerprint = models.CharField("empreinte SHA-256", max_length=64, unique=True)  # lowercase hex
    subject = models.CharField(max_length=500)
    issuer = models.CharField(max_length=500)
    serial = models.CharField(max_length=100)  # hex: serials run up to 20 bytes
    not_before = models.DateTimeField()
    not_after = models.DateTimeField()

    class Meta:
        verbose_name = "certificat"
        ordering = ["-not_after", "-id"]

    def __str__(self):
        return self.fingerprint


class SubscriberCounter(models.Model):
    """Last sequence given on one activation day (R-NUM-1); the row lock serialises nodes."""

    day = models.CharField(max_length=7, primary_key=True)  # YYYYDDD, Paris time
    last = models.PositiveIntegerField(default=0)
