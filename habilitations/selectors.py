"""Reads of habilitations for pages and documents: J11's table (R-HAB-1), the recap's dossiers.

What a space may *do* is decided by habilitations.policy alone (R-HAB-2); these reads say
what it holds and what it asked for, in words a person reads. Every list is one query (or
two), whatever the number of dossiers (R-HOME-1: as fast at 1,000 dossiers as at 1).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from catalogue.models import Family, Service
from core import clock
from core.identity import format_siren
from habilitations import policy
from habilitations.models import AdhesionRequest, Habilitation, Role

ADMINISTRATION = "l'administration (courrier)"  # granted_by None: a letter's code (R-ADH-2)
GONE_SPACE = "un espace qui n'existe plus"  # a grantor whose space was deleted (SET_NULL)


@dataclass(frozen=True)
class HabilitationRow:
    """One row of "Consulter mes services (habilitations)": one dossier × service × role."""

    siren: str  # "732 829 320"
    name: str
    family: str
    service: str
    role: str  # its French label
    state: str  # "Active", "Active jusqu'au 3 mars 2027", "Terminée le 1er décembre 2026"
    since: datetime  # Paris time
    granted_by: str
    live: bool


def _granted_by(habilitation: Habilitation) -> str:
    grantor = habilitation.granted_by
    if grantor is None:
        return ADMINISTRATION if habilitation.role == Role.TITULAIRE else GONE_SPACE
    return f"{grantor.display_name} (abonné {grantor.subscriber_number})"


def _state(habilitation: Habilitation, today: date) -> str:
    if habilitation.ended_at is not None:
        return f"Terminée le {clock.long_date(habilitation.ended_at)}"
    if habilitation.ends_on is not None and habilitation.ends_on < today:
        return f"Arrivée à échéance le {clock.long_date(habilitation.ends_on)}"
    if habilitation.ends_on is not None:
        return f"Active jusqu'au {clock.long_date(habilitation.ends_on)}"
    return "Active"


def _row(habilitation: Habilitation, today: date, live: bool) -> HabilitationRow:
    return HabilitationRow(
        siren=format_siren(habilitation.dossier.siren),
        name=habilitation.dossier.name,
        family=habilitation.service.family.label,
        service=habilitation.service.label,
        role=Role(habilitation.role).label,
        state=_state(habilitation, today),
        since=clock.paris(habilitation.started_at),
        granted_by=_granted_by(habilitation),
        live=live,
    )


def _table_order(rows: QuerySet[Habilitation]) -> QuerySet[Habilitation]:
    return rows.select_related("dossier", "service__family", "granted_by").order_by(
        "dossier__name", "dossier__siren", "service__family__position", "service__position", "role", "pk"
    )


@dataclass(frozen=True)
class HabilitationsPage:
    page: Page
    rows: list[HabilitationRow]


def _page(rows: QuerySet[Habilitation], number, today: date, live: bool) -> HabilitationsPage:
    shown = Paginator(_table_order(rows), settings.HABILITATIONS_PAGE_SIZE).get_page(number)
    return HabilitationsPage(page=shown, rows=[_row(row, today, live) for row in shown.object_list])


def live_rows(space, *, page=None, now: datetime | None = None) -> HabilitationsPage:
    """Return one page of space's live habilitations, by dossier name then catalogue order.

    Live as the policy says (R-HAB-2). A bad page number gives the first page, one past the
    end the last (as the security history).
    """
    now = now or clock.now()
    return _page(policy.live_habilitations(space, now), page, clock.paris(now).date(), live=True)


def ended_rows(space, *, page=None, now: datetime | None = None) -> HabilitationsPage:
    """Return one page of space's habilitations ended in the last HABILITATIONS_ENDED_DAYS days.

    Ended: closed (``ended_at``) or a delegation past its end date (``ends_on``), what the
    policy no longer counts as live.
    """
    now = now or clock.now()
    today = clock.paris(now).date()
    since = now - timedelta(days=settings.HABILITATIONS_ENDED_DAYS)
    ended = Q(ended_at__gte=since) | Q(ended_at__isnull=True, ends_on__lt=today, ends_on__gte=since.date())
    return _page(Habilitation.objects.filter(ended, space=space), page, today, live=False)


@dataclass(frozen=True)
class PendingAdhesion:
    """A request of the space still waiting for its letter's code (R-HAB-1, R-ADH-3)."""

    pk: int
    siren: str  # "732 829 320"
    name: str
    services: list[str]  # "Déclarer › TVA", in catalogue order
    created_at: datetime  # Paris time
    expires_at: datetime  # Paris time: "Code valable jusqu'au …"
    may_resend: bool
    resent_at: datetime | None  # Paris time of the letter sent again, if it was


def pending_adhesions(space, *, now: datetime | None = None, pk: int | None = None) -> list[PendingAdhesion]:
    """Return space's requests waiting for their code (pending and not expired), newest first.

    ``pk``: that request only (the confirmation of its cancellation), if it is one of them.
    """
    now = now or clock.now()
    ordered = Service.objects.select_related("family").order_by("family__position", "position")
    requests = AdhesionRequest.objects.filter(space=space, state=AdhesionRequest.State.PENDING, expires_at__gt=now)
    if pk is not None:
        requests = requests.filter(pk=pk)
    requests = (
        requests
        .select_related("dossier", "pending")
        .prefetch_related(Prefetch("services", queryset=ordered))
        .order_by("-created_at", "-pk")
    )
    return [
        PendingAdhesion(
            pk=request.pk,
            siren=format_siren(request.dossier.siren),
            name=request.dossier.name,
            services=[str(service) for service in request.services.all()],
            created_at=clock.paris(request.created_at),
            expires_at=clock.paris(request.expires_at),
            may_resend=request.resends < settings.ADHESION_LETTER_RESENDS,
            # The letter sent last is the request's code now: its row was made when it was sent.
            resent_at=clock.paris(request.pending.created_at) if request.resends and request.pending else None,
        )
        for request in requests
    ]


# The récapitulatif's "Dossiers et habilitations" (R-PDF-1, issue 14 item 10)


@dataclass(frozen=True)
class FamilyHeld:
    """The services of one family a space holds in one role on one dossier."""

    family: str
    services: list[str]
    whole: bool  # every service of the family


@dataclass(frozen=True)
class RoleHeld:
    role: str  # its French label
    count: int
    families: list[FamilyHeld]


@dataclass(frozen=True)
class DossierHeld:
    siren: str  # "732 829 320"
    name: str
    roles: list[RoleHeld] = field(default_factory=list)


@dataclass(frozen=True)
class Holdings:
    """The first ``limit`` dossiers of a space by name, and how many there are in all."""

    dossiers: list[DossierHeld]
    total: int


ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


def holdings(space, *, limit: int, now: datetime | None = None) -> Holdings:
    """Return what space holds, by dossier (by name), role (titulaire first) and family.

    At most ``limit`` dossiers (the recap is one page); ``total`` says how many it holds.
    Three queries whatever the numbers: the dossiers, their live habilitations, the size
    of each family of the catalogue.
    """
    now = now or clock.now()
    dossiers = policy.dossiers(space, now)
    total = dossiers.count()
    shown = list(dossiers[:limit])
    rows = (
        policy.live_habilitations(space, now)
        .filter(dossier__in=shown)
        .select_related("service__family")
        .order_by("service__family__position", "service__position")
    )
    family_sizes = dict(Family.objects.annotate(size=Count("services")).values_list("pk", "size"))
    held: dict[int, dict[str, dict[int, list[Service]]]] = {}
    for row in rows:
        by_family = held.setdefault(row.dossier_id, {}).setdefault(row.role, {})
        by_family.setdefault(row.service.family_id, []).append(row.service)
    result = []
    for dossier in shown:
        roles = []
        for role, by_family in sorted(held.get(dossier.pk, {}).items(), key=lambda item: ROLE_ORDER[item[0]]):
            families = [
                FamilyHeld(
                    family=services[0].family.label,
                    services=[service.label for service in services],
                    whole=len(services) == family_sizes.get(family_id),
                )
                for family_id, services in by_family.items()
            ]
            roles.append(RoleHeld(role=Role(role).label, count=sum(len(f.services) for f in families), families=families))
        result.append(DossierHeld(siren=format_siren(dossier.siren), name=dossier.name, roles=roles))
    return Holdings(dossiers=result, total=total)
