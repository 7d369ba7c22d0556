"""The request kinds of entreprise, declared to codes at start-up (apps.ready)."""

from codes import registry
from entreprise.kinds import Kind
from entreprise.services import company_email


def register() -> None:
    """Declare entreprise's kinds (EntrepriseConfig.ready)."""
    # R-ENT-1: the code goes to the company's new address, J2 matches it with the requester's
    # login email (and follows it, J4); it claims no email (the company's may be a login).
    registry.register(
        name=Kind.DOSSIER_EMAIL,
        label=Kind.DOSSIER_EMAIL.label,
        life="DOSSIER_EMAIL_CODE_TTL",
        channel="email",
        holds_email=False,
        available=registry.always_available,
        message="dossier_email",
        apply=company_email.apply,
        done_template="entreprise/company_email/activated.html",
        done_context=company_email.changed,
        follows_login=True,
    )
