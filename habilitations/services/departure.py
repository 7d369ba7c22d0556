"""A space leaves (R-DEL-SPACE-1): everything it holds ends, and the spaces that gave it are told.

``end_all`` is called by the deletion of a space (accounts.services.deletion), in its
transaction, before the space's personal data are erased: the emails and the history rows of
the other parties name it (sharing.person) while its name is still there.

What ends, and what stays:
- its live habilitations, whatever their role (a titulaire's cannot be there: the deletion is
  refused while the space is titulaire of a live service, R-SUB-1; should one be, it ends too);
- its designations as suppléant: state "removed", as if its titulaire had removed it;
- the designations it made as titulaire that are still live (its titulaire rows ended by a
  substitution that left them, or not at all): "removed", and their suppléant's rows end;
- the delegations offered to it: "refused"; accepted ones: "renounced" (R-DEL-1's words);
- its pending adhesion and substitution requests: cancelled, their letter's code void at once
  (CodeProcess.abort), as "Annuler la demande" does (R-ADH-3);
- the delegations it granted stay (choice): a titulaire or a suppléant delegates for the
  company, not for themselves, and the délégataire keeps working; the titulaire and the
  suppléants of the dossier may revoke them as any other (R-DEL-1). Their grantor becomes
  "un espace supprimé" in every page and email.

Every other party is emailed once (habilitations.services.emails, "space_departed"), and each
dossier × other party gets a HABILITATIONS_ENDED row in both security histories (record_shared).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from codes.process import CodeProcess
from core import audit
from core.identity import format_siren
from habilitations.events import Kind as Event
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance
from habilitations.services import emails, sharing


@dataclass
class Departure:
    """What end_all ended: counts, for the audit event of the deletion."""

    habilitations: int = 0
    suppleances: int = 0
    delegations: int = 0
    requests: int = 0
    parties: list = field(default_factory=list)


@dataclass
class _Ended:
    """What ended on one dossier between the departing space and one other party."""

    dossier: object
    other: object
    what: str  # in the other party's words: "administrateur suppléant", "délégataire"…
    services: list = field(default_factory=list)


WHAT = {
    Role.TITULAIRE: "titulaire",
    Role.SUPPLEANT: "administrateur suppléant",
    Role.DELEGATAIRE: "délégataire",
}


def end_all(*, space, now: datetime, request=None) -> Departure:
    """End every habilitation, designation, delegation received and request of space; return the counts.

    Runs in the caller's transaction (its own savepoint otherwise); the rows are locked first
    (of=("self",): the joined rows stay free), so that a titulaire removing this suppléant or a
    délégataire answering an offer at the same moment waits and then finds it ended.
    """
    departure = Departure()
    ended: dict[tuple, _Ended] = {}

    def note(dossier, other, what, services):
        if other is None or other.pk == space.pk:
            return
        entry = ended.setdefault((dossier.pk, other.pk, what), _Ended(dossier=dossier, other=other, what=what))
        entry.services.extend(service for service in services if service not in entry.services)

    with transaction.atomic():
        rows = list(
            Habilitation.objects.select_for_update(of=("self",))
            .filter(space=space, ended_at__isnull=True)
            .select_related("dossier", "service__family", "granted_by")
            .order_by("dossier__siren", "service__family__position", "service__position")
        )
        for row in rows:
            note(row.dossier, row.granted_by, WHAT[row.role], [row.service])
        Habilitation.objects.filter(pk__in=[row.pk for row in rows]).update(ended_at=now)
        departure.habilitations = len(rows)

        for suppleance in Suppleance.objects.select_for_update(of=("self",)).filter(
            suppleant=space, ended_at__isnull=True
        ).select_related("dossier", "titulaire"):
            _remove(suppleance, now)
            note(suppleance.dossier, suppleance.titulaire, WHAT[Role.SUPPLEANT], [])
            departure.suppleances += 1
        for suppleance in Suppleance.objects.select_for_update(of=("self",)).filter(
            titulaire=space, ended_at__isnull=True
        ).select_related("dossier", "suppleant"):
            theirs = Habilitation.objects.filter(suppleance=suppleance, ended_at__isnull=True).select_related(
                "service__family"
            )
            services = [row.service for row in theirs]
            note(suppleance.dossier, suppleance.suppleant, "titulaire qui vous avait désigné suppléant", services)
            theirs.update(ended_at=now)
            _remove(suppleance, now)
            departure.suppleances += 1

        for delegation in Delegation.objects.select_for_update(of=("self",)).filter(
            delegate=space, state__in=[Delegation.State.OFFERED, Delegation.State.ACCEPTED]
        ).select_related("dossier", "grantor"):
            if delegation.state == Delegation.State.OFFERED:
                delegation.state, delegation.decided_at = Delegation.State.REFUSED, now
            else:
                delegation.state = Delegation.State.RENOUNCED
            delegation.ended_at = now
            delegation.save(update_fields=["state", "decided_at", "ended_at"])
            services = list(delegation.services.select_related("family"))
            note(delegation.dossier, delegation.grantor, WHAT[Role.DELEGATAIRE], services)
            departure.delegations += 1

        for adhesion in AdhesionRequest.objects.select_for_update(of=("self",)).filter(
            space=space, state=AdhesionRequest.State.PENDING
        ).select_related("dossier", "pending"):
            if adhesion.pending is not None:
                CodeProcess(adhesion.pending, now).abort()
            adhesion.state, adhesion.closed_at = AdhesionRequest.State.CANCELLED, now
            adhesion.save(update_fields=["state", "closed_at"])
            kind = (
                Event.SUBSTITUTION_CANCELLED
                if adhesion.purpose == AdhesionRequest.Purpose.SUBSTITUTION
                else Event.ADHESION_CANCELLED
            )
            audit.record(
                request,
                kind,
                space=space,
                subject=adhesion.dossier,
                siren=adhesion.dossier.siren,
                services=list(adhesion.services.values_list("code", flat=True)),
                reason="space_deleted",
            )
            departure.requests += 1

        _tell(space, list(ended.values()), request)
        departure.parties = sorted({entry.other.pk for entry in ended.values()})
    return departure


def _remove(suppleance: Suppleance, now: datetime) -> None:
    suppleance.state = Suppleance.State.REMOVED
    suppleance.changed_at = suppleance.ended_at = now
    suppleance.save(update_fields=["state", "changed_at", "ended_at"])


def _tell(space, entries: list[_Ended], request) -> None:
    """Record each dossier × party in both histories, and email each other party once."""
    by_party: dict[int, list[_Ended]] = {}
    for entry in entries:
        sharing.record_shared(
            request,
            Event.HABILITATIONS_ENDED,
            actor=space,
            spaces=[space, entry.other],
            subject=entry.dossier,
            services=entry.services,
            role=entry.what,
        )
        by_party.setdefault(entry.other.pk, []).append(entry)
    for party_entries in by_party.values():
        lines = [
            f"{entry.dossier.name or 'Dossier'} (SIREN {format_siren(entry.dossier.siren)}) : {entry.what}"
            + (f" — {', '.join(str(service) for service in entry.services)}" if entry.services else "")
            for entry in party_entries
        ]
        emails.send("space_departed", space=party_entries[0].other, person=sharing.person(space), lines=lines)
