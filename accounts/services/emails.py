"""The emails of the seeds (R-EMAIL-1), written to the outbox in the caller's transaction."""

from django.conf import settings
from django.template.loader import render_to_string

from core.site import site_domain
from mailer import outbox

SUBJECTS = {
    "activation": "Espace professionnel - Activation de l'espace",
    "password_changed": "Espace professionnel - Modification du mot de passe",
    "trust_changed": "Espace professionnel - Modification de la réponse à la question de confiance",
    "password_reset": "Espace professionnel - Mot de passe oublié",
    "expiry_reminder": "Espace professionnel - Expiration prochaine de votre mot de passe",
    "option_recovery": "Espace professionnel - Option pour l'accès sans certificat",
    "email_changed_notice": "Espace professionnel - Modification de l'adresse électronique de connexion",
    "company_email": "Espace professionnel - Confirmation de l'adresse électronique de l'entreprise",
    "coordinates_changed": "Espace professionnel - Modification de vos coordonnées",
    "space_deleted": "Espace professionnel - Suppression de votre espace",
    # R-ENT-1: entreprise's code (entreprise/templates/espace/emails/dossier_email.txt)
    "dossier_email": "Espace professionnel - Modification de l'adresse électronique de l'entreprise",
}


def _context(**extra) -> dict:
    return {
        "site": site_domain(),
        "service": settings.SERVICE_NAME,
        "etat": settings.ETAT_DEPLOIEMENT,
        "sender_domain": settings.DEFAULT_FROM_EMAIL.rpartition("@")[2],
        "ttl_hours": int(settings.ACTIVATION_CODE_TTL.total_seconds() // 3600),
        **extra,
    }


def send(kind: str, *, to: str, **context) -> None:
    """Queue the email kind for to; it leaves after commit (R-EMAIL-2)."""
    body = render_to_string(f"espace/emails/{kind}.txt", _context(**context))
    outbox.enqueue(to=to, subject=SUBJECTS[kind], body=body)
