"""J9 "Adhérer aux services" (R-ADH-1..3): request → recap → letter posted.

The request being written lives in the session between the form and "Valider" (SIREN,
statut, service codes: no secret); it is checked again by the service at "Valider", so an
old recap cannot post a letter the rules no longer allow. The code never reaches this flow.
"""

from dataclasses import dataclass

from core import audit, clock
from core.throttle import Throttle
from habilitations.events import Kind as Event
from habilitations.models import AdhesionRequest
from habilitations.services import adhesion
from habilitations.services.adhesion import AdhesionRefused, Plan

DRAFT_KEY = "habilitations_adhesion_draft"
SENT_KEY = "habilitations_adhesion_sent"


class TooManyRequests(Exception):
    """The space posted its day's letters already (THROTTLE_POLICIES "adhesion_requests_per_space")."""


@dataclass(frozen=True)
class Draft:
    siren: str
    statut: str
    services: list[str]


def start(request, *, siren: str, statut: str, services: list[str]) -> Plan:
    """Check the form's request (R-ADH-1) and keep it for the recap; raise AdhesionRefused."""
    checked = adhesion.plan(space=request.user, siren=siren, service_codes=services, now=clock.now())
    request.session[DRAFT_KEY] = {"siren": siren, "statut": statut, "services": [s.code for s in checked.services]}
    return checked


def draft(request) -> Draft | None:
    """Return the request waiting for "Valider" in this session, or None."""
    kept = request.session.get(DRAFT_KEY)
    return Draft(**kept) if kept else None


def recap(request) -> Plan | None:
    """Return the recap of the draft, checked now; None without a draft. Raise AdhesionRefused."""
    kept = draft(request)
    if kept is None:
        return None
    return adhesion.plan(space=request.user, siren=kept.siren, service_codes=kept.services, now=clock.now())


def validate(request) -> AdhesionRequest:
    """Post the draft's letter (R-ADH-2); raise AdhesionRefused, TooManyRequests or LookupError (no draft)."""
    kept = draft(request)
    if kept is None:
        raise LookupError("no draft")
    space = request.user
    if not Throttle.default().within_limit("adhesion_requests_per_space", key=f"space:{space.pk}"):
        audit.record(request, Event.ADHESION_REFUSED, space=space, siren=kept.siren, reason="throttled")
        raise TooManyRequests()
    try:
        created = adhesion.request_adhesion(
            space=space, siren=kept.siren, statut=kept.statut, service_codes=kept.services, now=clock.now(), request=request
        )
    except AdhesionRefused as refused:
        audit.record(request, Event.ADHESION_REFUSED, space=space, siren=kept.siren, reason=refused.code)
        raise
    request.session.pop(DRAFT_KEY, None)
    request.session[SENT_KEY] = created.pk
    return created


def sent(request) -> AdhesionRequest | None:
    """Return the request this session just posted (the "courrier envoyé" page), still the space's."""
    pk = request.session.get(SENT_KEY)
    if pk is None:
        return None
    return AdhesionRequest.objects.select_related("dossier").filter(pk=pk, space=request.user).first()
