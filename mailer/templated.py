"""An email from a template, with what every email of the product names (R-EMAIL-1).

The apps of SPEC §5 (habilitations, entreprise) send theirs through ``send``: a template of
their own that includes "espace/emails/footer.txt", a subject from their own table.
"""

from django.conf import settings
from django.template.loader import render_to_string

from core.site import site_domain
from mailer import outbox


def context(**extra) -> dict:
    """Return the context every email template reads: the site, the service's name, the sender's domain."""
    return {
        "site": site_domain(),
        "service": settings.SERVICE_NAME,
        "etat": settings.ETAT_DEPLOIEMENT,
        "sender_domain": settings.DEFAULT_FROM_EMAIL.rpartition("@")[2],
        **extra,
    }


def send(template: str, *, to: str, subject: str, **extra) -> None:
    """Queue the email rendered from template for to; it leaves after commit (R-EMAIL-2)."""
    outbox.enqueue(to=to, subject=subject, body=render_to_string(template, context(**extra)))
