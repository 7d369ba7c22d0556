"""The one place authorisation on dossiers is decided (R-HAB-2).

Pure functions over the space's live habilitations, read from the database at each call:
nothing here trusts what a session remembers. Every dossier page and action asks this
module (through ``habilitations.decorators.dossier_view`` or directly in a flow); what a
space may not see is answered as if it did not exist (404), whatever id is typed.

A habilitation is live while it has not ended and, when it has an end date (a delegation,
R-DEL-1), until that date has passed (Paris day, R-TIME-1).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet

from catalogue.models import Service
from core import clock
from dossiers.models import Dossier
from habilitations.models import AdhesionRequest, Habilitation, Role


# A space may hold several roles on one service (titulaire and délégataire of it, say): the
# rows come in no set order among themselves, the rank decides.
RANK = {Role.TITULAIRE: 0, Role.SUPPLEANT: 1, Role.DELEGATAIRE: 2}


def live(now: datetime | None = None) -> Q:
    """Return the condition of a live habilitation at now."""
    today = clock.paris(now or clock.now()).date()
    return Q(ended_at__isnull=True) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def live_habilitations(space, now: datetime | None = None) -> QuerySet[Habilitation]:
    """Return the live habilitations of space (none for an anonymous or inactive one)."""
    if not getattr(space, "is_authenticated", False) or not space.is_active:
        return Habilitation.objects.none()
    return Habilitation.objects.filter(live(now), space=space)


def dossiers(space, now: datetime | None = None) -> QuerySet[Dossier]:
    """Return the dossiers space holds at least one live habilitation for, by name."""
    held = live_habilitations(space, now).values("dossier_id")
    return Dossier.objects.filter(pk__in=held).order_by("name", "siren")


@dataclass(frozen=True)
class Access:
    """What a space may do on one dossier: the role it holds on each service, by service code."""

    space: object
    dossier: Dossier
    roles: dict[str, str] = field(default_factory=dict)
    habilitations: tuple[Habilitation, ...] = ()

    def holds(self, service: Service | str) -> bool:
        return (service if isinstance(service, str) else service.code) in self.roles

    def role(self, service: Service | str) -> str | None:
        return self.roles.get(service if isinstance(service, str) else service.code)

    @property
    def is_titulaire(self) -> bool:
        """Whether the space is titulaire of at least one service of the dossier."""
        return Role.TITULAIRE in self.roles.values()


def access(space, siren: str, now: datetime | None = None) -> Access | None:
    """Return what space may do on the dossier of siren, or None if it holds nothing there."""
    rows = tuple(
        live_habilitations(space, now)
        .filter(dossier__siren=siren)
        .select_related("dossier", "service__family", "granted_by")
        .order_by("service__family__position", "service__position")
    )
    if not rows:
        return None
    roles: dict[str, str] = {}
    for row in rows:  # the highest role held on a service wins: titulaire, then suppléant, then délégataire
        held = roles.get(row.service.code)
        if held is None or RANK[row.role] < RANK[held]:
            roles[row.service.code] = row.role
    return Access(space=space, dossier=rows[0].dossier, roles=roles, habilitations=rows)


def own_request(space, pk: int | str) -> AdhesionRequest | None:
    """Return the adhesion request pk if space made it, else None (another space's is a 404).

    ``pk`` may come from a form field rather than a URL's ``<int:…>``: anything that is not
    a number is no request of the space's either (a 404, not a 500).
    """
    if not getattr(space, "is_authenticated", False):
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return AdhesionRequest.objects.select_related("dossier").filter(pk=pk, space=space).first()
