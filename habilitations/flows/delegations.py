"""J13 "Gérer mes délégations" (R-DEL-1): "Déléguer" → recap → "Valider"; the delegate's answers.

The offer being written lives in the session between the form and "Valider" (the dossier's
SIREN, service codes, the délégataire's space id found by its number + last name, the end
date: no secret). It is checked again at the recap and at "Valider" (services still managed,
delegate still active), so an old recap cannot offer what the rules no longer allow. The
number + last name check (throttled) runs once, at the form: the recap names the person
found, for the grantor to confirm.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from core import clock
from habilitations import policy
from habilitations.models import Delegation
from habilitations.services import delegations, sharing
from habilitations.services.delegations import Plan

DRAFT_KEY = "habilitations_delegation_draft"


@dataclass(frozen=True)
class Draft:
    siren: str
    services: list[str]
    delegate: int
    ends_on: str | None  # ISO date


def start(
    request, access: policy.Access, *, number: str, last_name: str, services: list[str], ends_on: date | None
) -> Plan:
    """Find the délégataire and check the offer; keep it for the recap.

    Raise sharing.DesignationRefused (number + name, throttled) or delegations.DelegationRefused.
    """
    delegate = sharing.find_space(request, actor=request.user, number=number, last_name=last_name)
    plan = delegations.check(
        grantor=request.user, access=access, delegate=delegate, service_codes=services, ends_on=ends_on, now=clock.now()
    )
    request.session[DRAFT_KEY] = {
        "siren": access.dossier.siren,
        "services": [service.code for service in plan.services],
        "delegate": delegate.pk,
        "ends_on": ends_on.isoformat() if ends_on else None,
    }
    return plan


def draft(request, access: policy.Access) -> Draft | None:
    """Return the offer of this dossier waiting for "Valider" in this session, or None."""
    kept = request.session.get(DRAFT_KEY)
    if not kept or kept.get("siren") != access.dossier.siren:
        return None
    return Draft(**kept)


def _delegate(kept: Draft):
    return get_user_model().objects.filter(pk=kept.delegate, is_active=True).first()


def _ends_on(kept: Draft) -> date | None:
    return date.fromisoformat(kept.ends_on) if kept.ends_on else None


def recap(request, access: policy.Access) -> Plan | None:
    """Return the draft checked now, or None without one; raise delegations.DelegationRefused."""
    kept = draft(request, access)
    if kept is None:
        return None
    return delegations.check(
        grantor=request.user, access=access, delegate=_delegate(kept), service_codes=kept.services,
        ends_on=_ends_on(kept), now=clock.now(),
    )


def validate(request, access: policy.Access) -> Delegation:
    """Make the draft's offer; raise delegations.DelegationRefused or LookupError (no draft)."""
    kept = draft(request, access)
    if kept is None:
        raise LookupError("no draft")
    created = delegations.offer(
        request=request, grantor=request.user, access=access, delegate=_delegate(kept), services=kept.services,
        ends_on=_ends_on(kept), now=clock.now(),
    )
    request.session.pop(DRAFT_KEY, None)
    return created
