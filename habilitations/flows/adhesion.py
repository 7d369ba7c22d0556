"""J9 "Adhérer aux services" (R-ADH-1..3) and J14 "Remplacer le titulaire" (R-SUB-1): request →
recap → letter posted.

Both journeys are one flow over a ``Journey`` (what to check, what to open, where the draft
lives): a substitution is an adhesion's request for services that have a titulaire. The
request being written lives in the session between the form and "Valider" (SIREN, statut,
service codes: no secret); it is checked again by the service at "Valider", so an old recap
cannot post a letter the rules no longer allow. The code never reaches this flow.
"""

from collections.abc import Callable
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
    """The space posted its day's letters already (THROTTLE_POLICIES "adhesion_requests_per_space").

    One ceiling for adhesions and substitutions: what it caps is letters posted to sièges.
    """


@dataclass(frozen=True)
class Journey:
    """One request journey: its session keys, its rules (``plan``), its request (``open``)."""

    draft_key: str
    sent_key: str
    plan: Callable[..., Plan]  # (space=, siren=, service_codes=, now=) -> Plan; raises AdhesionRefused
    open: Callable[..., AdhesionRequest]  # (space=, siren=, statut=, service_codes=, now=, request=)
    refused: str  # the audit kind of a refusal at "Valider"


ADHESION = Journey(DRAFT_KEY, SENT_KEY, adhesion.plan, adhesion.request_adhesion, Event.ADHESION_REFUSED)


@dataclass(frozen=True)
class Draft:
    siren: str
    statut: str
    services: list[str]


def start(request, *, siren: str, statut: str, services: list[str], journey: Journey = ADHESION) -> Plan:
    """Check the form's request (R-ADH-1) and keep it for the recap; raise AdhesionRefused."""
    checked = journey.plan(space=request.user, siren=siren, service_codes=services, now=clock.now())
    request.session[journey.draft_key] = {"siren": siren, "statut": statut, "services": [s.code for s in checked.services]}
    return checked


def draft(request, journey: Journey = ADHESION) -> Draft | None:
    """Return the request waiting for "Valider" in this session, or None."""
    kept = request.session.get(journey.draft_key)
    return Draft(**kept) if kept else None


def recap(request, journey: Journey = ADHESION) -> Plan | None:
    """Return the recap of the draft, checked now; None without a draft. Raise AdhesionRefused."""
    kept = draft(request, journey)
    if kept is None:
        return None
    return journey.plan(space=request.user, siren=kept.siren, service_codes=kept.services, now=clock.now())


def validate(request, journey: Journey = ADHESION) -> AdhesionRequest:
    """Post the draft's letter (R-ADH-2); raise AdhesionRefused, TooManyRequests or LookupError (no draft)."""
    kept = draft(request, journey)
    if kept is None:
        raise LookupError("no draft")
    space = request.user
    if not Throttle.default().within_limit("adhesion_requests_per_space", key=f"space:{space.pk}"):
        audit.record(request, journey.refused, space=space, siren=kept.siren, reason="throttled")
        raise TooManyRequests()
    try:
        created = journey.open(
            space=space, siren=kept.siren, statut=kept.statut, service_codes=kept.services, now=clock.now(), request=request
        )
    except AdhesionRefused as refused:
        audit.record(request, journey.refused, space=space, siren=kept.siren, reason=refused.code)
        raise
    request.session.pop(journey.draft_key, None)
    request.session[journey.sent_key] = created.pk
    return created


def sent(request, journey: Journey = ADHESION) -> AdhesionRequest | None:
    """Return the request this session just posted (the "courrier envoyé" page), still the space's."""
    pk = request.session.get(journey.sent_key)
    if pk is None:
        return None
    return AdhesionRequest.objects.select_related("dossier").filter(pk=pk, space=request.user).first()
