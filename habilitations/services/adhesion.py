"""Adhesion to services, mode expert (R-ADH-1..3): the request, its letter, its activation.

A substitution (R-SUB-1, habilitations.services.substitution) is the same request for
services that have a titulaire: it shares the request's row (``purpose``), its letter, its
cancellation and its resend, all here; only the rules of the services asked and the
activation differ.

HTTP-free: the J9 and J14 flows (habilitations.flows) and J2's activation (through the
request kinds declared in habilitations.requests) call these functions, in their transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from catalogue.models import Service
from codes.errors import CodeVoid
from codes.process import CodeProcess
from core import audit
from habilitations.errors import Refused
from core.site import current_request
from dossiers.services.dossiers import open_dossier
from habilitations.events import Kind as Event
from habilitations.kinds import Kind
from habilitations.models import AdhesionRequest, Habilitation, Role
from habilitations.services import suppleants
from registre import selectors as register

Purpose = AdhesionRequest.Purpose
# What each purpose's letter is (its code's kind, hence its letter's template and what J2
# does with it) and how its request and cancellation are audited (R-AUDIT-2).
LETTER_KIND = {Purpose.ADHESION: Kind.ADHESION, Purpose.SUBSTITUTION: Kind.SUBSTITUTION}
REQUESTED = {Purpose.ADHESION: Event.ADHESION_REQUESTED, Purpose.SUBSTITUTION: Event.SUBSTITUTION_REQUESTED}
CANCELLED = {Purpose.ADHESION: Event.ADHESION_CANCELLED, Purpose.SUBSTITUTION: Event.SUBSTITUTION_CANCELLED}


class AdhesionRefused(Refused):
    """An adhesion or substitution request that may not be made (R-ADH-1..3, R-SUB-1)."""


@dataclass(frozen=True)
class Plan:
    """A request checked and ready to send: the company as the register knows it, the services."""

    siren: str
    name: str
    siege_lines: list[str]
    services: list[Service] = field(default_factory=list)


def company_of(siren: str) -> tuple[str, list[str]]:
    """Return (name, the siège's postal lines, name first) of siren; raise AdhesionRefused.

    R-ADH-1: an unknown company, a ceased one, or one whose siège has no address the
    register diffuses, cannot receive a letter: the seeds' advice is to contact the SIE.
    """
    company = register.company(siren)
    if company is None or not company.name:
        raise AdhesionRefused("adhesion_company_unknown")
    if not company.active:
        raise AdhesionRefused("adhesion_company_closed")
    if not company.siege_lines:
        raise AdhesionRefused("adhesion_no_siege")
    return company.name, list(company.siege_lines)


def live_titulaires(siren: str, services: Sequence[Service]):
    """Return the live titulaire rows of services on the dossier of siren (any space)."""
    return Habilitation.objects.filter(
        dossier__siren=siren, service__in=list(services), role=Role.TITULAIRE, ended_at__isnull=True
    )


def refuse_pending(*, space, siren: str, services: Sequence[Service], now: datetime) -> None:
    """Raise AdhesionRefused("adhesion_pending") for the services space asked already, adhesion
    or substitution, in a request still waiting for its letter's code (one letter at a time)."""
    waiting = AdhesionRequest.objects.filter(
        space=space, dossier__siren=siren, state=AdhesionRequest.State.PENDING, expires_at__gt=now
    )
    pending = [service for service in services if waiting.filter(services=service).exists()]
    if pending:
        raise AdhesionRefused("adhesion_pending", pending)


def check_services(*, space, siren: str, services: Sequence[Service], now: datetime) -> None:
    """Raise AdhesionRefused when a service asked may not be requested by space for siren now.

    In this order: none ticked; already held by space; held by another titulaire (R-ADH-2:
    the screen points to substitution or to a delegation by the titulaire); asked already
    by space in a request still waiting for its letter's code.
    """
    if not services:
        raise AdhesionRefused("adhesion_no_service")
    titulaires = live_titulaires(siren, services)
    own = [service for service in services if titulaires.filter(space=space, service=service).exists()]
    if own:
        raise AdhesionRefused("adhesion_already_held", own)
    taken = [service for service in services if titulaires.filter(service=service).exists()]
    if taken:
        raise AdhesionRefused("adhesion_has_titulaire", taken)
    refuse_pending(space=space, siren=siren, services=services, now=now)


def plan(*, space, siren: str, service_codes: Sequence[str], now: datetime, check=check_services) -> Plan:
    """Check a request (R-ADH-1; its services by ``check``) and return what the recap shows;
    raise AdhesionRefused."""
    name, lines = company_of(siren)
    services = list(Service.objects.select_related("family").filter(code__in=list(service_codes)))
    check(space=space, siren=siren, services=services, now=now)
    return Plan(siren=siren, name=name, siege_lines=lines, services=services)


def request_adhesion(
    *, space, siren: str, statut: str, service_codes: Sequence[str], now: datetime, request=None
) -> AdhesionRequest:
    """Open an adhesion request and post its letter to the siège (R-ADH-2, R-ADH-3)."""
    return open_request(
        plan, Purpose.ADHESION, space=space, siren=siren, statut=statut, service_codes=service_codes, now=now, request=request
    )


def open_request(
    planner, purpose: str, *, space, siren: str, statut: str, service_codes: Sequence[str], now: datetime, request=None
) -> AdhesionRequest:
    """Open a request of purpose, checked by planner, and post its letter, in one transaction.

    Everything is checked again here (the recap may be old): the letter is queued with the
    request or not at all. The code is never returned: it exists in clear only in the letter.
    """
    with transaction.atomic():
        checked = planner(space=space, siren=siren, service_codes=service_codes, now=now)
        dossier = open_dossier(siren=checked.siren, name=checked.name, now=now)
        adhesion = AdhesionRequest.objects.create(
            space=space,
            dossier=dossier,
            statut=statut,
            purpose=purpose,
            created_at=now,
            expires_at=now + settings.ADHESION_CODE_TTL,
        )
        adhesion.services.set(checked.services)
        _post_letter(adhesion, checked, now)
        audit.record(
            request,
            REQUESTED[purpose],
            space=space,
            subject=dossier,
            siren=dossier.siren,
            services=[service.code for service in checked.services],
        )
    return adhesion


def _post_letter(adhesion: AdhesionRequest, checked: Plan, now: datetime) -> None:
    """Send a new code for adhesion by post, of its purpose's kind; its life starts now (R-ADH-2)."""
    process = CodeProcess.initiate(
        kind=LETTER_KIND[adhesion.purpose],
        email=adhesion.space.login_email or adhesion.space.contact_email,
        payload={"adhesion": adhesion.pk},
        now=now,
        space=adhesion.space,
        address=checked.siege_lines,
        siren=checked.siren,
        company=checked.name,
        services=[f"{service.family.label} › {service.label}" for service in checked.services],
    )
    adhesion.pending = process.pending
    adhesion.expires_at = process.pending.expires_at
    adhesion.address = list(checked.siege_lines)
    adhesion.save(update_fields=["pending", "expires_at", "address"])


@dataclass(frozen=True)
class Activation:
    """What J2's activation of an adhesion code gave: the services granted, those taken meanwhile."""

    adhesion: AdhesionRequest
    granted: list[Service]
    taken: list[Service]


def activate(pending, payload: dict, now: datetime):
    """Make the requester titulaire of the services asked (J2, R-ADH-2); return the space.

    Runs inside J2's guarded transaction: raising CodeVoid rolls the code's consumption
    back. A service that got another titulaire since the request (another space's letter
    came first) is skipped: the database's one-live-titulaire constraint decides the race,
    and the confirmation page says which services were not activated.
    """
    adhesion = locked_request(pending, payload, Purpose.ADHESION)
    granted, taken = [], []
    for service in asked(adhesion):
        (granted if become_titulaire(adhesion, service, now) else taken).append(service)
    close(adhesion, now)
    # J2 calls apply without its request: the row shows the address and browser of the
    # activation as every other row of the history does (as the email change's, accounts).
    audit.record(
        current_request(),
        Event.ADHESION_ACTIVATED,
        space=adhesion.space,
        subject=adhesion.dossier,
        siren=adhesion.dossier.siren,
        services=[service.code for service in granted],
        taken=[service.code for service in taken],
    )
    return adhesion.space


def locked_request(pending, payload: dict, purpose: str) -> AdhesionRequest:
    """Return the pending request of purpose J2's code names, locked; raise CodeVoid otherwise.

    The request must be the code's space's, still pending (a cancelled one's code is void),
    and that space still active.
    """
    adhesion = (
        AdhesionRequest.objects.select_for_update()
        .filter(pk=payload.get("adhesion"), state=AdhesionRequest.State.PENDING, space=pending.space, purpose=purpose)
        .first()
    )
    if adhesion is None or not adhesion.space.is_active:
        raise CodeVoid()
    return adhesion


def asked(adhesion: AdhesionRequest) -> list[Service]:
    """Return the services adhesion asks for, in catalogue order (the order rows are locked in)."""
    return list(adhesion.services.select_related("family").order_by("family__position", "position"))


def become_titulaire(adhesion: AdhesionRequest, service: Service, now: datetime) -> bool:
    """Make adhesion's space titulaire of service from now; return False if another live
    titulaire exists (the one-live-titulaire constraint says so: it decides races)."""
    try:
        with transaction.atomic():
            titulaire_row(adhesion, service, now)
    except IntegrityError:
        return False
    return True


def titulaire_row(adhesion: AdhesionRequest, service: Service, now: datetime) -> Habilitation:
    """Create adhesion's space's titulaire row on service from now: the one place an adhesion
    or a substitution makes a titulaire (what a titulaire gaining a service brings goes here)."""
    row = Habilitation.objects.create(
        space=adhesion.space, dossier=adhesion.dossier, service=service, role=Role.TITULAIRE, started_at=now
    )
    # R-SUP-1: a suppléant holds all its titulaire's services of the dossier, those gained later too.
    suppleants.extend(titulaire=adhesion.space, dossier=adhesion.dossier, services=[service], now=now)
    return row


def close(adhesion: AdhesionRequest, now: datetime) -> None:
    """Mark adhesion activated at now (its code was used)."""
    adhesion.state = AdhesionRequest.State.ACTIVATED
    adhesion.closed_at = now
    adhesion.save(update_fields=["state", "closed_at"])


def last_activation(space, at: datetime) -> Activation | None:
    """Return the adhesion space activated at ``at`` (J2's confirmation page), or None."""
    adhesion = (
        AdhesionRequest.objects.select_related("dossier")
        .filter(space=space, state=AdhesionRequest.State.ACTIVATED, closed_at=at, purpose=Purpose.ADHESION)
        .first()
    )
    if adhesion is None:
        return None
    held, services = granted_at(adhesion, at), asked(adhesion)
    return Activation(
        adhesion=adhesion,
        granted=[service for service in services if service.pk in held],
        taken=[service for service in services if service.pk not in held],
    )


def granted_at(adhesion: AdhesionRequest, at: datetime) -> set[int]:
    """Return the ids of the services adhesion's space became titulaire of at ``at``."""
    return set(
        Habilitation.objects.filter(
            space=adhesion.space, dossier=adhesion.dossier, role=Role.TITULAIRE, started_at=at
        ).values_list("service_id", flat=True)
    )


def ensure_pending(adhesion: AdhesionRequest, now: datetime) -> None:
    """Raise AdhesionRefused("adhesion_not_pending") unless adhesion still waits for its code.

    Cancelled, activated, or past its deadline (its code is dead: nothing to cancel, no
    letter to send again; a new request is what the person needs).
    """
    if adhesion.state != AdhesionRequest.State.PENDING or adhesion.expires_at <= now:
        raise AdhesionRefused("adhesion_not_pending")


def _locked(adhesion: AdhesionRequest) -> AdhesionRequest:
    # of=("self",): the request's row only; the space's row (every login writes it) stays free.
    return (
        AdhesionRequest.objects.select_for_update(of=("self",))
        .select_related("dossier", "space", "pending")
        .get(pk=adhesion.pk)
    )


def cancel(*, adhesion: AdhesionRequest, now: datetime, request=None) -> AdhesionRequest:
    """Cancel a pending request (R-ADH-3): its letter's code stops working at once; return it."""
    with transaction.atomic():
        locked = _locked(adhesion)
        ensure_pending(locked, now)
        if locked.pending is not None:
            CodeProcess(locked.pending, now).abort()
        locked.state = AdhesionRequest.State.CANCELLED
        locked.closed_at = now
        locked.save(update_fields=["state", "closed_at"])
        audit.record(
            request,
            CANCELLED[locked.purpose],
            space=locked.space,
            subject=locked.dossier,
            siren=locked.dossier.siren,
            services=list(locked.services.values_list("code", flat=True)),
        )
    return locked


def resend(*, adhesion: AdhesionRequest, now: datetime, request=None) -> AdhesionRequest:
    """Send a pending request's letter again, once (R-ADH-3 choice): a new code and 60 days, the old code void.

    The siège's address is asked of the register again: the company may have moved.
    """
    with transaction.atomic():
        locked = _locked(adhesion)
        ensure_pending(locked, now)
        if locked.resends >= settings.ADHESION_LETTER_RESENDS:
            raise AdhesionRefused("adhesion_resent_already")
        name, lines = company_of(locked.dossier.siren)
        if locked.pending is not None:
            CodeProcess(locked.pending, now).abort()
        services = asked(locked)
        locked.resends += 1
        locked.save(update_fields=["resends"])
        _post_letter(locked, Plan(siren=locked.dossier.siren, name=name, siege_lines=lines, services=services), now)
        audit.record(
            request,
            Event.LETTER_RESENT,
            space=locked.space,
            subject=locked.dossier,
            siren=locked.dossier.siren,
            services=[service.code for service in services],
        )
    return locked
