"""R-DEL-1 "Gérer mes délégations": offer, accept, refuse, revoke, renounce.

HTTP-free but for the request the audit reads the client's address from. Each change runs
in one transaction: the Delegation row is locked first (``select_for_update``) and its state
read again under the lock, so that two changes at the same moment (the delegate accepting
while a manager revokes) are applied one after the other and give one final state; the
habilitation rows, the audit events of both spaces (R-AUDIT-2) and the emails to the other
party (outbox) are written with it, or nothing is.

Rules (docs/decisions.md "J13 délégations"):
- what may be delegated: the services the grantor manages (titulaire or active suppléant,
  ``policy.Access.managed()``); a délégataire never delegates further;
- the offer is void once ``answer_by`` (created + DELEGATION_ANSWER_TTL, 30 days) has passed,
  by the clock: no job marks it, it simply can no longer be accepted;
- at acceptance, only the services the grantor still manages then are granted (none left:
  the acceptance is refused and the offer stays as it is);
- the end date (optional, today or later, Paris day) is copied on each habilitation row:
  the policy's ``live()`` ends access the day after it, without a job.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction

from catalogue.models import Service
from core import clock
from habilitations.errors import Refused
from dossiers.models import Dossier
from habilitations import policy
from habilitations.events import Kind as Event
from habilitations.models import Delegation, Habilitation, Role
from habilitations.services import emails, sharing


class DelegationRefused(Refused):
    """A delegation, or its answer or revocation, that is not allowed (now) (R-DEL-1)."""


@dataclass(frozen=True)
class Plan:
    """An offer checked and ready to be made: what the recap shows."""

    dossier: Dossier
    delegate: object
    services: list[Service]
    ends_on: date | None


def check(
    *, grantor, access: policy.Access | None, delegate, service_codes, ends_on: date | None, now: datetime
) -> Plan:
    """Return the offer of service_codes to delegate, checked now; raise DelegationRefused.

    Checked at the form and again at "Valider" (the grantor may have lost a service, the
    delegate may have closed its space or gained the service meanwhile).
    """
    if not policy.may_delegate(access) or access.space.pk != grantor.pk:
        raise DelegationRefused("delegation_not_allowed")
    managed = {service.code: service for service in access.managed()}
    wanted = list(dict.fromkeys(service_codes))
    if not wanted:
        raise DelegationRefused("delegation_no_service")
    foreign = [code for code in wanted if code not in managed]
    if foreign:
        named = Service.objects.filter(code__in=foreign).select_related("family")
        raise DelegationRefused("delegation_services_not_managed", named)
    if ends_on is not None and ends_on < clock.paris(now).date():
        raise DelegationRefused("delegation_end_past")
    if delegate is None or not delegate.is_active or delegate.pk == grantor.pk:
        raise DelegationRefused("designation_unknown")
    services = [managed[code] for code in wanted]
    held = policy.access(delegate, access.dossier.siren, now)
    already = [service for service in services if held is not None and held.holds(service)]
    if already:
        # A second right on the same service would add nothing (the highest role wins) and
        # would collide with the live one at acceptance.
        raise DelegationRefused("delegation_delegate_holds", already)
    return Plan(dossier=access.dossier, delegate=delegate, services=services, ends_on=ends_on)


def offer(*, request=None, grantor, access, delegate, services, ends_on: date | None, now: datetime) -> Delegation:
    """Offer services (codes or Service rows) of access's dossier to delegate (R-DEL-1); raise DelegationRefused.

    The delegate is emailed and has DELEGATION_ANSWER_TTL to answer from its own space.
    """
    codes = [service if isinstance(service, str) else service.code for service in services]
    plan = check(grantor=grantor, access=access, delegate=delegate, service_codes=codes, ends_on=ends_on, now=now)
    with transaction.atomic():
        # The dossier's row lock serialises the offers of one dossier (two "Valider" at once,
        # the titulaire and a suppléant at once): the second sees the first's offer.
        Dossier.objects.select_for_update().filter(pk=plan.dossier.pk).first()
        waiting = [service for service in plan.services if _waiting(plan, service, now)]
        if waiting:
            raise DelegationRefused("delegation_already_offered", waiting)
        delegation = Delegation.objects.create(
            dossier=plan.dossier,
            grantor=grantor,
            delegate=plan.delegate,
            ends_on=plan.ends_on,
            created_at=now,
            answer_by=now + settings.DELEGATION_ANSWER_TTL,
        )
        delegation.services.set(plan.services)
        _record(request, Event.DELEGATION_OFFERED, delegation, actor=grantor, services=plan.services)
        emails.send(
            "delegation_offered",
            space=plan.delegate,
            **_context(delegation, plan.services, other=grantor),
        )
    return delegation


def _waiting(plan: Plan, service: Service, now: datetime) -> bool:
    """Whether an offer of service to plan's delegate on plan's dossier still awaits its answer."""
    return Delegation.objects.filter(
        dossier=plan.dossier, delegate=plan.delegate, state=Delegation.State.OFFERED, answer_by__gt=now, services=service
    ).exists()


def expired(delegation: Delegation, now: datetime) -> bool:
    """Whether delegation is an offer that was not answered in time (void by the clock)."""
    return delegation.state == Delegation.State.OFFERED and now >= delegation.answer_by


def past_end(delegation: Delegation, now: datetime) -> bool:
    """Whether delegation's end date has passed (Paris day): its rows no longer give access."""
    return delegation.ends_on is not None and delegation.ends_on < clock.paris(now).date()


def accept(*, delegation: Delegation, now: datetime, request=None) -> Delegation:
    """Accept delegation (its delegate): one habilitation row per service still managed by the grantor."""
    with transaction.atomic():
        locked = _lock(delegation)
        if locked.state != Delegation.State.OFFERED:
            raise DelegationRefused("delegation_not_offered")
        if expired(locked, now):
            raise DelegationRefused("delegation_expired")
        if past_end(locked, now):  # an offer whose end date came before its answer gives nothing
            raise DelegationRefused("delegation_expired")
        offered = list(locked.services.select_related("family").order_by("family__position", "position"))
        # Only what the grantor may still delegate now is granted: a right it has lost (a
        # suppléant put on hold or removed, a titulaire substituted) is not handed on.
        grantor_access = policy.access(locked.grantor, locked.dossier.siren, now) if locked.grantor else None
        still = {service.code for service in grantor_access.managed()} if grantor_access else set()
        granted = [service for service in offered if service.code in still]
        if not granted:
            raise DelegationRefused("delegation_nothing_left")
        # A row of an earlier delegation of the same service whose end date has passed still
        # counts for the one-live-habilitation constraint: it is closed now (it gives nothing).
        Habilitation.objects.filter(
            space=locked.delegate,
            dossier=locked.dossier,
            service__in=granted,
            role=Role.DELEGATAIRE,
            ended_at__isnull=True,
            ends_on__lt=clock.paris(now).date(),
        ).update(ended_at=now)
        held = policy.access(locked.delegate, locked.dossier.siren, now)
        granted = [service for service in granted if held is None or not held.holds(service)]
        if not granted:
            raise DelegationRefused("delegation_nothing_left")
        Habilitation.objects.bulk_create(
            Habilitation(
                space=locked.delegate,
                dossier=locked.dossier,
                service=service,
                role=Role.DELEGATAIRE,
                granted_by=locked.grantor,
                started_at=now,
                ends_on=locked.ends_on,
                delegation=locked,
            )
            for service in granted
        )
        locked.state, locked.decided_at = Delegation.State.ACCEPTED, now
        locked.save(update_fields=["state", "decided_at"])
        _record(request, Event.DELEGATION_ACCEPTED, locked, actor=locked.delegate, services=granted)
        emails.send("delegation_accepted", space=locked.grantor, **_context(locked, granted, other=locked.delegate))
    return locked


def refuse(*, delegation: Delegation, now: datetime, request=None) -> Delegation:
    """Refuse delegation (its delegate), while it is offered and not expired."""
    with transaction.atomic():
        locked = _lock(delegation)
        if locked.state != Delegation.State.OFFERED:
            raise DelegationRefused("delegation_not_offered")
        if expired(locked, now):
            raise DelegationRefused("delegation_expired")
        locked.state, locked.decided_at, locked.ended_at = Delegation.State.REFUSED, now, now
        locked.save(update_fields=["state", "decided_at", "ended_at"])
        services = _services(locked)
        _record(request, Event.DELEGATION_REFUSED, locked, actor=locked.delegate, services=services)
        emails.send("delegation_refused", space=locked.grantor, **_context(locked, services, other=locked.delegate))
    return locked


def revoke(*, delegation: Delegation, actor, now: datetime, request=None) -> Delegation:
    """Revoke delegation (a manager of one of its services, checked by policy.delegation_given).

    An offer (not yet answered) or an accepted delegation: its rows end now. The delegate is
    emailed, and the grantor too when another manager revoked.
    """
    with transaction.atomic():
        locked = _lock(delegation)
        if not _open(locked, now):
            raise DelegationRefused("delegation_not_active")
        offered = locked.state == Delegation.State.OFFERED
        services = _end(locked, Delegation.State.REVOKED, now)
        _record(request, Event.DELEGATION_REVOKED, locked, actor=actor, services=services)
        emails.send(
            "delegation_revoked", space=locked.delegate, **_context(locked, services, other=actor, offered=offered)
        )
        if locked.grantor is not None and locked.grantor.pk != actor.pk:
            emails.send(
                "delegation_revoked_grantor",
                space=locked.grantor,
                **_context(locked, services, other=actor, delegate_name=sharing.person(locked.delegate)),
            )
    return locked


def renounce(*, delegation: Delegation, now: datetime, request=None) -> Delegation:
    """Renounce an accepted delegation (its delegate): its rows end now, the grantor is emailed."""
    with transaction.atomic():
        locked = _lock(delegation)
        if locked.state != Delegation.State.ACCEPTED or past_end(locked, now):
            raise DelegationRefused("delegation_not_active")
        services = _end(locked, Delegation.State.RENOUNCED, now)
        _record(request, Event.DELEGATION_RENOUNCED, locked, actor=locked.delegate, services=services)
        emails.send("delegation_renounced", space=locked.grantor, **_context(locked, services, other=locked.delegate))
    return locked


def _open(delegation: Delegation, now: datetime) -> bool:
    """Whether delegation can still be revoked: an offer not yet void, or accepted and before its end."""
    if delegation.state == Delegation.State.OFFERED:
        return not expired(delegation, now)
    return delegation.state == Delegation.State.ACCEPTED and not past_end(delegation, now)


def _lock(delegation: Delegation) -> Delegation:
    """Return delegation read again under a row lock (the state others may just have changed)."""
    return (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("dossier", "grantor", "delegate")
        .get(pk=delegation.pk)
    )


def _end(locked: Delegation, state: str, now: datetime) -> list[Service]:
    """Set locked's final state and end its live rows; return the services concerned."""
    services = _services(locked)
    locked.habilitations.filter(ended_at__isnull=True).update(ended_at=now)
    locked.state, locked.ended_at = state, now
    locked.save(update_fields=["state", "ended_at"])
    return services


def _services(delegation: Delegation) -> list[Service]:
    """Return the services delegation is about: those granted once accepted, else those offered."""
    granted = Service.objects.filter(habilitations__delegation=delegation).distinct()
    rows = granted if delegation.state == Delegation.State.ACCEPTED and granted.exists() else delegation.services.all()
    return list(rows.select_related("family").order_by("family__position", "position"))


def _record(request, kind: str, delegation: Delegation, *, actor, services) -> None:
    sharing.record_shared(
        request,
        kind,
        actor=actor,
        spaces=[actor, delegation.grantor, delegation.delegate],
        subject=delegation.dossier,
        services=services,
        delegation=delegation.pk,
    )


def _context(delegation: Delegation, services, *, other, **extra) -> dict:
    """What each email says: the other party by name (never an email), the dossier, the services."""
    return {
        "other": sharing.person(other),
        "dossier": delegation.dossier,
        "services": [str(service) for service in services],  # "Déclarer › TVA"
        "ends_on": clock.long_date(delegation.ends_on) if delegation.ends_on else "",
        "answer_by": clock.long_date(delegation.answer_by),
        **extra,
    }
