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

    USERNAME_FIELD = "subscriber_number"
    EMAIL_FIELD = "contact_email"

    class Meta:
        verbose_name = "espace"
        constraints = [
            models.CheckConstraint(
                name="password_space_has_login_email",
                condition=~Q(access_mode="password") | Q(login_email__isnull=False),
            ),
        ]

    def __str__(self):
        return self.subscriber_number

    def get_session_auth_hash(self) -> str:
        """Return the hash that binds a session to this space's credentials.

        Django's default covers the password only. The login email and the access mode are
        credentials too: an email change (J4) or the option for password access (J8) must
        end every session of the space, as a password change does. A session whose stored
        hash no longer matches is logged out by Django's get_user() on its next request.
        """
        credentials = "\x00".join((self.password or "", self.login_email or "", self.access_mode))
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


class PendingRequest(models.Model):
    """A request waiting for its code (R-CODE-*): creation, email change, option, password reset.

    What each kind may do (life, email claim, availability rule, what activation applies)
    is in one table, espace.services.requests.POLICIES. ``held_email`` carries a unique
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
    space = models.ForeignKey(Space, null=True, on_delete=models.CASCADE, related_name="pending_requests")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["email"])]


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


class AuditEvent(models.Model):
    """One security event (SPEC §4): never a password, answer or code."""

    class Kind(models.TextChoices):
        REGISTRATION_REQUESTED = "registration_requested", "Demande de création"
        REGISTRATION_REFUSED = "registration_refused", "Création refusée"
        ACTIVATION_OK = "activation_ok", "Activation réussie"
        ACTIVATION_FAILED = "activation_failed", "Activation refusée"
        LOGIN_OK = "login_ok", "Connexion réussie"
        LOGIN_FAILED = "login_failed", "Connexion refusée"
        LOGIN_THROTTLED = "login_throttled", "Connexion bloquée (limitation)"
        LOGIN_EXPIRED = "login_expired", "Connexion refusée (mot de passe expiré)"
        LOGOUT = "logout", "Déconnexion"
        SESSION_EXPIRED = "session_expired", "Session expirée"
        SESSION_BLOCKED = "session_blocked", "Session fermée (mot de passe expiré)"
        RECAP_DOWNLOADED = "recap_downloaded", "Récapitulatif téléchargé"
        ACCOUNT_UNBLOCKED = "account_unblocked", "Blocage levé par l'assistance"
        CERTIFICATE_REFUSED = "certificate_refused", "Connexion par certificat refusée"
        CERTIFICATE_IMPORTED = "certificate_imported", "Espace avec certificat importé"
        # J5 "Mot de passe oublié ?"
        RESET_REQUESTED = "reset_requested", "Mot de passe oublié : code demandé"
        RESET_CODE_FAILED = "reset_code_failed", "Mot de passe oublié : code refusé"
        RESET_ANSWER_FAILED = "reset_answer_failed", "Mot de passe oublié : réponse refusée"
        RESET_DONE = "reset_done", "Mot de passe réinitialisé"
        # J8 option for password access
        OPTION_REQUESTED = "option_requested", "Option sans certificat demandée"
        OPTION_RECOVERY_REQUESTED = "option_recovery_requested", "Option hors espace : code demandé"
        OPTION_RECOVERY_REFUSED = "option_recovery_refused", "Option hors espace : refusée"
        OPTION_RECOVERY_OK = "option_recovery_ok", "Option hors espace : code accepté"
        # J4 "Modifier mes identifiants de connexion"
        PASSWORD_CHANGED = "password_changed", "Mot de passe modifié"
        TRUST_CHANGED = "trust_changed", "Question de confiance modifiée"
        EMAIL_CHANGE_REQUESTED = "email_change_requested", "Demande de modification de l'adresse électronique"
        EMAIL_CHANGED = "email_changed", "Adresse électronique de connexion modifiée"
        CREDENTIALS_REFUSED = "credentials_refused", "Modification des identifiants refusée"
        # J6
        EXPIRY_ALERT_SHOWN = "expiry_alert_shown", "Alerte d'expiration du mot de passe affichée"
        PASSWORD_RENEWED = "password_renewed", "Mot de passe expiré renouvelé"
        RENEWAL_REFUSED = "renewal_refused", "Renouvellement du mot de passe expiré refusé"

    at = models.DateTimeField(db_index=True)
    # Kind's values, without choices in the schema: journeys add kinds without a migration.
    kind = models.CharField(max_length=40)
    # No index of its own: audit_space_at below starts with the space (one B-tree fewer to
    # write at each event).
    space = models.ForeignKey(
        Space, null=True, on_delete=models.SET_NULL, related_name="audit_events", db_index=False
    )
    email = models.CharField(max_length=100, blank=True)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        # "Historique de sécurité": a space's events, newest first.
        indexes = [models.Index(fields=["space", "-at"], name="audit_space_at")]


class ThrottleCounter(models.Model):
    """A rate-limit counter kept in the database, shared by every app node (R-THROTTLE-1)."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    blocked_until = models.DateTimeField(null=True)
