"""J14 "Remplacer le titulaire (substitution)" (R-SUB-1): J9's flow (habilitations.flows.adhesion)
over the substitution's rules, its draft in a session key of its own (both may be written at once)."""

from catalogue.models import Service
from habilitations.events import Kind as Event
from habilitations.flows.adhesion import Journey
from habilitations.services import adhesion, substitution
from habilitations.services.adhesion import AdhesionRefused

SUBSTITUTION = Journey(
    draft_key="habilitations_substitution_draft",
    sent_key="habilitations_substitution_sent",
    plan=substitution.plan,
    open=substitution.request_substitution,
    refused=Event.SUBSTITUTION_REFUSED,
)


def services_for(request, siren: str) -> list[Service]:
    """Return the services of siren the space may ask to substitute (the form's second part).

    Raise AdhesionRefused: the company as the register knows it cannot get a letter
    (adhesion's refusals), or none of its services has a titulaire the space may replace.
    """
    adhesion.company_of(siren)
    found = offered(request, siren)
    if not found:
        raise AdhesionRefused("substitution_nothing")
    return found


def offered(request, siren: str) -> list[Service]:
    """Return the services of siren the space may ask to substitute, in catalogue order."""
    return substitution.offered(request.user, siren) if siren else []
