"""J14 "Remplacer le titulaire (substitution)" (R-SUB-1): R-ADH-1/2 for services that have a titulaire.

The request, its letter to the siège, its cancellation and its resend are adhesion's
(habilitations.services.adhesion, purpose "substitution"); this module says which services
may be asked and what the activation does:

- the requester becomes titulaire of each service asked that still has another titulaire;
- that former titulaire's habilitation on it ends, and so do its suppléants' rows on it and
  every delegation row on it, whoever granted the delegation (guides 002/004: delegations
  are re-done after a substitution); each holder is emailed and sees it in its history;
- nobody but the requester hears of the request before its code is used (the former
  titulaire could otherwise stall it): the request, its letter and its audit rows are the
  requester's only.

A suppléant may not substitute the titulaire that designated it (R-SUP-1), active or en
veille, at the request and again at activation (it may have been designated meanwhile).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from catalogue.models import Service
from core import audit, clock
from core.site import current_request
from habilitations.events import Kind as Event
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance
from habilitations.services import adhesion, emails, sharing
from habilitations.services.adhesion import AdhesionRefused, Plan, Purpose

# A free service taken by another activation between this one's look and its insert is
# looked at again, now holding a titulaire to substitute; past this, it is left as it is.
ATTEMPTS = 3


def designated_by(space, siren: str, titulaire_ids) -> set[int]:
    """Return the ids among titulaire_ids of the spaces that made space their suppléant on the
    dossier of siren, the designation still running (active or en veille: R-SUP-1)."""
    return set(
        Suppleance.objects.filter(
            dossier__siren=siren, suppleant=space, titulaire_id__in=list(titulaire_ids), ended_at__isnull=True
        ).values_list("titulaire_id", flat=True)
    )


def offered(space, siren: str) -> list[Service]:
    """Return the services of the dossier of siren that space may ask to substitute, in
    catalogue order: those with a live titulaire other than space, not one that designated
    space as its suppléant."""
    rows = list(
        Habilitation.objects.filter(dossier__siren=siren, role=Role.TITULAIRE, ended_at__isnull=True)
        .exclude(space=space)
        .select_related("service__family")
        .order_by("service__family__position", "service__position")
    )
    barred = designated_by(space, siren, {row.space_id for row in rows})
    return [row.service for row in rows if row.space_id not in barred]


def check_services(*, space, siren: str, services: Sequence[Service], now: datetime) -> None:
    """Raise AdhesionRefused when a service asked may not be substituted by space now.

    In this order: none ticked; space is its titulaire (a titulaire cannot substitute
    itself); it has no titulaire (adhesion is the way); its titulaire designated space as
    suppléant (R-SUP-1); asked already by space in a request waiting for its code.
    """
    if not services:
        raise AdhesionRefused("adhesion_no_service")
    titulaires = {row.service_id: row.space_id for row in adhesion.live_titulaires(siren, services)}
    own = [service for service in services if titulaires.get(service.pk) == space.pk]
    if own:
        raise AdhesionRefused("substitution_own", own)
    free = [service for service in services if service.pk not in titulaires]
    if free:
        raise AdhesionRefused("substitution_no_titulaire", free)
    barred = designated_by(space, siren, set(titulaires.values()))
    suppleant = [service for service in services if titulaires[service.pk] in barred]
    if suppleant:
        raise AdhesionRefused("substitution_suppleant", suppleant)
    adhesion.refuse_pending(space=space, siren=siren, services=services, now=now)


def plan(*, space, siren: str, service_codes: Sequence[str], now: datetime) -> Plan:
    """Check a substitution request and return what the recap shows; raise AdhesionRefused."""
    return adhesion.plan(space=space, siren=siren, service_codes=service_codes, now=now, check=check_services)


def request_substitution(
    *, space, siren: str, statut: str, service_codes: Sequence[str], now: datetime, request=None
) -> AdhesionRequest:
    """Open a substitution request and post its letter to the siège (R-SUB-1), in one transaction."""
    return adhesion.open_request(
        plan, Purpose.SUBSTITUTION, space=space, siren=siren, statut=statut, service_codes=service_codes, now=now,
        request=request,
    )


@dataclass
class _Outcome:
    """What one activation did, service by service (the audit row and the emails say it)."""

    granted: list[Service] = field(default_factory=list)  # now the requester's
    held: list[Service] = field(default_factory=list)  # the requester's already
    kept: list[Service] = field(default_factory=list)  # not substituted (R-SUP-1, or contended)
    formers: dict[int, tuple[object, list[Service]]] = field(default_factory=dict)  # space id → (space, services)


def activate(pending, payload: dict, now: datetime):
    """Apply a substitution's letter code (J2, R-SUB-1); return the requester's space.

    Runs inside J2's guarded transaction. Each service's live titulaire row is locked
    (select_for_update) before it is ended, so that two substitutions activated at once
    take turns: the second one finds the first one's requester titulaire and substitutes
    it in turn, one titulaire at every moment (the one-live-titulaire constraint holds it).
    A service that became free meanwhile is granted; one the requester holds already is
    left as it is; one whose titulaire made the requester its suppléant is not substituted.
    """
    asked = adhesion.locked_request(pending, payload, Purpose.SUBSTITUTION)
    requester, dossier = asked.space, asked.dossier
    outcome = _Outcome()
    for service in adhesion.asked(asked):  # catalogue order: every activation locks rows in one order
        _substitute(asked, service, now, outcome)
    adhesion.close(asked, now)
    request = current_request()
    for former, services in outcome.formers.values():
        _end_titulaire(request, requester, former, dossier, services)
        _end_suppleants(request, requester, former, dossier, services, now)
    substituted = [service for _former, services in outcome.formers.values() for service in services]
    if substituted:
        _end_delegations(request, requester, dossier, substituted, now)
    # J2 calls apply without its request: current_request gives the row its address and browser.
    audit.record(
        request,
        Event.SUBSTITUTION_ACTIVATED,
        space=requester,
        subject=dossier,
        siren=dossier.siren,
        services=[service.code for service in outcome.granted],
        held=[service.code for service in outcome.held],
        kept=[service.code for service in outcome.kept],
        party=", ".join(sharing.party(former) for former, _services in outcome.formers.values()),
    )
    return requester


def _substitute(asked: AdhesionRequest, service: Service, now: datetime, outcome: _Outcome) -> None:
    requester = asked.space
    for _attempt in range(ATTEMPTS):
        current = (
            # of=("self",): the titulaire's row only; its space's row (every login writes it) stays free.
            Habilitation.objects.select_for_update(of=("self",))
            .select_related("space")
            .filter(dossier=asked.dossier, service=service, role=Role.TITULAIRE, ended_at__isnull=True)
            .first()
        )
        if current is None:  # free since the request: granted as an adhesion would be
            if adhesion.become_titulaire(asked, service, now):
                outcome.granted.append(service)
                return
            continue  # another activation made its titulaire meanwhile: substitute that one
        if current.space_id == requester.pk:
            outcome.held.append(service)
            return
        if designated_by(requester, asked.dossier.siren, {current.space_id}):
            outcome.kept.append(service)
            return
        current.ended_at = now
        current.save(update_fields=["ended_at"])
        adhesion.titulaire_row(asked, service, now)  # current's row, locked and ended, was the only live one
        outcome.granted.append(service)
        outcome.formers.setdefault(current.space_id, (current.space, []))[1].append(service)
        return
    outcome.kept.append(service)


def _labels(services) -> list[str]:
    return [f"{service.family.label} › {service.label}" for service in services]


def _end_titulaire(request, requester, former, dossier, services) -> None:
    """Tell the former titulaire its habilitation on services ended (email, its history)."""
    emails.send(
        "titulaire_substituted", space=former, dossier=dossier, services=_labels(services),
        successor=sharing.person(requester),
    )
    sharing.record_shared(
        request, Event.TITULAIRE_SUBSTITUTED, actor=requester, spaces=[former], subject=dossier, services=services
    )


def _end_rows(rows, services, now) -> tuple[list[Service], bool]:
    """End the live rows among rows (one designation's or delegation's) on services; return
    (the services ended, in services' order; whether no live row is left)."""
    on_services = rows.filter(service__in=services, ended_at__isnull=True)
    held = set(on_services.values_list("service_id", flat=True))
    on_services.update(ended_at=now)
    return [service for service in services if service.pk in held], not rows.filter(ended_at__isnull=True).exists()


def _end_suppleants(request, requester, former, dossier, services, now) -> None:
    """End the rows on services of the suppléants former designated; a designation with no
    row left ends (state "ended"). Each suppléant is emailed; it and former see it in history."""
    designations = Suppleance.objects.select_for_update(of=("self",)).filter(
        dossier=dossier, titulaire=former, ended_at__isnull=True
    ).select_related("suppleant").order_by("pk")
    for designation in designations:
        ended, whole = _end_rows(designation.habilitations.all(), services, now)
        if not ended:
            continue
        if whole:
            designation.state = Suppleance.State.ENDED
            designation.ended_at = designation.changed_at = now
            designation.save(update_fields=["state", "ended_at", "changed_at"])
        emails.send(
            "suppleant_ended", space=designation.suppleant, dossier=dossier, services=_labels(ended),
            titulaire=sharing.person(former), successor=sharing.person(requester), whole=whole,
        )
        sharing.record_shared(
            request, Event.SUPPLEANT_ENDED, actor=requester, spaces=[designation.suppleant, former],
            subject=dossier, services=ended, suppleant=sharing.party(designation.suppleant),
        )


def _end_delegations(request, requester, dossier, services, now) -> None:
    """End every delegation on services of dossier, whoever granted it (R-SUB-1 choice).

    An accepted one loses its rows on services, and ends once it has none left; an offer
    still open that names one of them ends whole (it cannot be accepted in part). One past
    its end date or its answer date is over by the clock already: left as it is. The
    délégataire is emailed (not the requester, whose own delegation its titulaire row
    replaces); it and the grantor see it in their history.
    """
    today = clock.paris(now).date()
    on_services = Delegation.objects.filter(dossier=dossier, services__in=services).values("pk")
    delegations = (
        Delegation.objects.select_for_update(of=("self",))
        .filter(pk__in=on_services, state__in=[Delegation.State.OFFERED, Delegation.State.ACCEPTED])
        .select_related("grantor", "delegate")
        .order_by("pk")
    )
    for delegation in delegations:
        if delegation.state == Delegation.State.OFFERED:
            if delegation.answer_by <= now:
                continue
            ended, whole = [service for service in delegation.services.all() if service in services], True
        else:
            if delegation.ends_on is not None and delegation.ends_on < today:
                continue
            ended, whole = _end_rows(delegation.habilitations.all(), services, now)
            if not ended:
                continue
        if whole:
            delegation.state = Delegation.State.ENDED
            delegation.ended_at = now
            delegation.save(update_fields=["state", "ended_at"])
        if delegation.delegate_id == requester.pk:
            continue
        emails.send(
            "delegation_ended", space=delegation.delegate, dossier=dossier, services=_labels(ended),
            grantor=sharing.person(delegation.grantor), successor=sharing.person(requester), whole=whole,
            offered=delegation.decided_at is None,
        )
        sharing.record_shared(
            request, Event.DELEGATION_ENDED, actor=requester, spaces=[delegation.delegate, delegation.grantor],
            subject=dossier, services=ended, delegate=sharing.party(delegation.delegate),
        )


@dataclass(frozen=True)
class Substitution:
    """What J2's activation of a substitution code gave (its confirmation page)."""

    adhesion: AdhesionRequest
    granted: list[Service]  # the requester is titulaire of them now
    held: list[Service]  # it was already
    kept: list[Service]  # not substituted: their titulaire designated it suppléant


def last_substitution(space, at: datetime) -> Substitution | None:
    """Return the substitution space activated at ``at`` (J2's confirmation page), or None."""
    done = (
        AdhesionRequest.objects.select_related("dossier", "space")
        .filter(space=space, state=AdhesionRequest.State.ACTIVATED, closed_at=at, purpose=Purpose.SUBSTITUTION)
        .first()
    )
    if done is None:
        return None
    granted, services = adhesion.granted_at(done, at), adhesion.asked(done)
    held = set(
        Habilitation.objects.filter(
            space=space, dossier=done.dossier, role=Role.TITULAIRE, ended_at__isnull=True, started_at__lt=at
        ).values_list("service_id", flat=True)
    )
    return Substitution(
        adhesion=done,
        granted=[service for service in services if service.pk in granted],
        held=[service for service in services if service.pk in held],
        kept=[service for service in services if service.pk not in granted | held],
    )
