"""Administrateurs suppléants (R-SUP-1): designate, put on hold, reactivate, remove.

HTTP-free (the request is only what the audit reads the client's address from). Each change
writes the Suppleance and its Habilitation rows, records one audit event in the history of
each of the two spaces (sharing.record_shared, R-AUDIT-2) and queues the suppléant's email,
in one transaction: all of it or nothing.

A suppléant holds one row (role suppléant) per service its titulaire is titulaire of on the
dossier, created at designation and, when the titulaire gains a service later, by
``extend`` (called by habilitations.services.adhesion.activate). While "en veille" the rows
are kept with ``on_hold`` (the policy gives nothing for them); "Supprimer" ends them.
"""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction

from catalogue.models import Service
from core.identity import format_siren
from habilitations.errors import Refused
from habilitations.events import Kind as Event
from habilitations.models import Habilitation, Role, Suppleance
from habilitations.services import emails, sharing

# The states from which each action may be taken (anything else: a refusal, nothing written).
LIVE = (Suppleance.State.ACTIVE, Suppleance.State.ON_HOLD)


class SuppleanceRefused(Refused):
    """A designation or a change of it that may not be made (R-SUP-1)."""


def designate(*, access, suppleant, now: datetime, request=None) -> Suppleance:
    """Make suppleant the administrateur suppléant of access's space on its dossier (R-SUP-1).

    ``access`` (policy.Access) is the titulaire's, read by the view now. The suppléant gets
    one row per service the titulaire is titulaire of there (``access.titled()``). Refused:
    the titulaire itself ("suppleant_self"), a closed space ("designation_unknown", as
    sharing.find_space says it), a space already its live suppléant on this dossier
    ("suppleant_already"). A space holding other rights on the dossier (titulaire of other
    services, délégataire) is designated all the same: its rows add up and the policy's rank
    decides per service. It can never be titulaire of those very services: a service has one
    titulaire (the database's one_live_titulaire).
    """
    titulaire, dossier = access.space, access.dossier
    services = access.titled()
    if suppleant.pk == titulaire.pk:
        raise SuppleanceRefused("suppleant_self")
    if not suppleant.is_active:
        raise SuppleanceRefused("designation_unknown")
    if not services:  # policy.may_designate_suppleants holds for the caller: never empty in practice
        raise SuppleanceRefused("suppleant_not_titulaire")
    try:
        with transaction.atomic():
            if _live(dossier, titulaire, suppleant).exists():
                raise SuppleanceRefused("suppleant_already")
            made = Suppleance.objects.create(
                dossier=dossier, titulaire=titulaire, suppleant=suppleant, created_at=now, changed_at=now
            )
            for service in services:
                _row(made, service, now)
            _tell(request, Event.SUPPLEANT_DESIGNATED, "suppleant_designated", made, services)
    except IntegrityError:  # a second designation committed meanwhile: the database's one_live_suppleance
        raise SuppleanceRefused("suppleant_already") from None
    return made


def put_on_hold(*, suppleance: Suppleance, now: datetime, request=None) -> Suppleance:
    """"Mettre en veille": the rows are kept, on hold (no access at all, R-HAB-2); return it."""
    return _change(suppleance, now, request, allowed=(Suppleance.State.ACTIVE,), state=Suppleance.State.ON_HOLD,
                   rows={"on_hold": True}, event=Event.SUPPLEANT_ON_HOLD, email="suppleant_on_hold")


def reactivate(*, suppleance: Suppleance, now: datetime, request=None) -> Suppleance:
    """"Réactiver": the rows kept while on hold give access again; return it."""
    return _change(suppleance, now, request, allowed=(Suppleance.State.ON_HOLD,), state=Suppleance.State.ACTIVE,
                   rows={"on_hold": False}, event=Event.SUPPLEANT_REACTIVATED, email="suppleant_reactivated")


def remove(*, suppleance: Suppleance, now: datetime, request=None) -> Suppleance:
    """"Supprimer": the designation and its rows end (kept as history); return it."""
    return _change(suppleance, now, request, allowed=LIVE, state=Suppleance.State.REMOVED,
                   rows={"ended_at": now}, event=Event.SUPPLEANT_REMOVED, email="suppleant_removed", ends=True)


def extend(*, titulaire, dossier, services: Sequence[Service], now: datetime) -> None:
    """Give each live suppléant of titulaire on dossier its row for services titulaire just gained.

    Called in the transaction that made titulaire titulaire of them (J2's activation of an
    adhesion code): a suppléant holds all the titulaire's services of the dossier, on hold
    as its designation is.
    """
    if not services:
        return
    live = Suppleance.objects.select_for_update().filter(dossier=dossier, titulaire=titulaire, ended_at__isnull=True)
    for suppleance in live:
        for service in services:
            try:
                with transaction.atomic():
                    _row(suppleance, service, now, on_hold=suppleance.state == Suppleance.State.ON_HOLD)
            except IntegrityError:  # it holds that service as suppléant already (nothing to add)
                continue


def is_suppleant(access, space) -> bool:
    """Return whether space is already a live suppléant of access's space on its dossier."""
    return _live(access.dossier, access.space, space).exists()


def _live(dossier, titulaire, suppleant):
    return Suppleance.objects.filter(dossier=dossier, titulaire=titulaire, suppleant=suppleant, ended_at__isnull=True)


def _row(suppleance: Suppleance, service: Service, now: datetime, on_hold: bool = False) -> Habilitation:
    return Habilitation.objects.create(
        space=suppleance.suppleant,
        dossier=suppleance.dossier,
        service=service,
        role=Role.SUPPLEANT,
        granted_by=suppleance.titulaire,
        started_at=now,
        on_hold=on_hold,
        suppleance=suppleance,
    )


def _change(suppleance, now, request, *, allowed, state, rows, event, email, ends=False) -> Suppleance:
    with transaction.atomic():
        # The designation's row is the one two clicks (or the titulaire and a substitution) race on.
        locked = (
            Suppleance.objects.select_for_update(of=("self",))
            .select_related("dossier", "titulaire", "suppleant")
            .get(pk=suppleance.pk)
        )
        if locked.state not in allowed:
            raise SuppleanceRefused("suppleant_state_changed")
        held = locked.habilitations.filter(ended_at__isnull=True)
        services = list(
            Service.objects.filter(pk__in=held.values("service_id"))
            .select_related("family")
            .order_by("family__position", "position")
        )
        held.update(**rows)
        locked.state = state
        locked.changed_at = now
        if ends:
            locked.ended_at = now
        locked.save(update_fields=["state", "changed_at", "ended_at"])
        _tell(request, event, email, locked, services)
    return locked


def _tell(request, event: str, email: str, suppleance: Suppleance, services: list[Service]) -> None:
    """Record event in both spaces' histories and queue the suppléant's email (same transaction)."""
    dossier = suppleance.dossier
    sharing.record_shared(
        request,
        event,
        actor=suppleance.titulaire,
        spaces=[suppleance.titulaire, suppleance.suppleant],
        subject=dossier,
        services=services,
        siren=dossier.siren,
    )
    emails.send(
        email,
        space=suppleance.suppleant,
        titulaire=sharing.person(suppleance.titulaire),
        siren=format_siren(dossier.siren),
        company=dossier.name,
        services=[f"{service.family.label} › {service.label}" for service in services],
    )
