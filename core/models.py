"""What every part of the product records: the audit log and the shared rate-limit counters."""

from django.conf import settings
from django.db import models


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
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="audit_events", db_index=False
    )
    email = models.CharField(max_length=100, blank=True)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict)

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
