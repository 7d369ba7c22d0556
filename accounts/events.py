"""The security events of spaces (SPEC §4, R-AUDIT-2), under the namespace "accounts"."""

from core import audit

Kind = audit.EventKinds(
    "accounts",
    REGISTRATION_REQUESTED="Demande de création",
    REGISTRATION_REFUSED="Création refusée",
    LOGIN_OK="Connexion réussie",
    LOGIN_FAILED="Connexion refusée",
    LOGIN_THROTTLED="Connexion bloquée (limitation)",
    LOGIN_EXPIRED="Connexion refusée (mot de passe expiré)",
    LOGOUT="Déconnexion",
    SESSION_EXPIRED="Session expirée",
    SESSION_BLOCKED="Session fermée (mot de passe expiré)",
    RECAP_DOWNLOADED="Récapitulatif téléchargé",
    ACCOUNT_UNBLOCKED="Blocage levé par l'assistance",
    CERTIFICATE_REFUSED="Connexion par certificat refusée",
    CERTIFICATE_IMPORTED="Espace avec certificat importé",
    RESET_REQUESTED="Mot de passe oublié : code demandé",
    RESET_CODE_FAILED="Mot de passe oublié : code refusé",
    RESET_ANSWER_FAILED="Mot de passe oublié : réponse refusée",
    RESET_DONE="Mot de passe réinitialisé",
    OPTION_REQUESTED="Option sans certificat demandée",
    OPTION_RECOVERY_REQUESTED="Option hors espace : code demandé",
    OPTION_RECOVERY_REFUSED="Option hors espace : refusée",
    OPTION_RECOVERY_OK="Option hors espace : code accepté",
    PASSWORD_CHANGED="Mot de passe modifié",
    TRUST_CHANGED="Question de confiance modifiée",
    EMAIL_CHANGE_REQUESTED="Demande de modification de l'adresse électronique",
    EMAIL_CHANGED="Adresse électronique de connexion modifiée",
    CREDENTIALS_REFUSED="Modification des identifiants refusée",
    EXPIRY_ALERT_SHOWN="Alerte d'expiration du mot de passe affichée",
    PASSWORD_RENEWED="Mot de passe expiré renouvelé",
    RENEWAL_REFUSED="Renouvellement du mot de passe expiré refusé",
    COMPANY_EMAIL_REQUESTED="Mode simplifié : code envoyé à l'adresse électronique de l'entreprise",
    COMPANY_EMAIL_CONFIRMED="Mode simplifié : adresse électronique de l'entreprise confirmée",
    # R-COORD-1 (J15)
    COORDINATES_CHANGED="Coordonnées modifiées",
    COORDINATES_REFUSED="Modification des coordonnées refusée",
    # R-DEL-SPACE-1 (J16)
    DELETION_REFUSED="Suppression de l'espace refusée",
    SPACE_DELETED="Espace professionnel supprimé",
)
