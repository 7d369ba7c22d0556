"""Reads of habilitations for pages and documents: the home and "Voir tous mes dossiers"
(R-HOME-1), the service page (R-HOME-2), J11's table (R-HAB-1), the recap's dossiers.

What a space may *do* is decided by habilitations.policy alone (R-HAB-2); these reads say
what it holds and what it asked for, in words a person reads. Each runs a fixed number of
queries, however many dossiers the space holds (R-HOME-1: as fast at 1,000 dossiers as at 1).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Window

from catalogue.models import Family, Service
from core import clock
from core.identity import format_siren
from habilitations import policy
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance
from habilitations.services import sharing
from habilitations.services.sharing import person

ADMINISTRATION = "l'administration (courrier)"  # granted_by None: a letter's code (R-ADH-2)
GONE_SPACE = "un espace qui n'existe plus"  # a grantor whose space was deleted (SET_NULL)
DIGITS = re.compile(r"\d+")

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


def granted_by(habilitation: Habilitation) -> str:
    """Return who granted habilitation: the administration (a letter's code, R-ADH-2), or the
    space that designated or delegated (its holder's name and subscriber number)."""
    grantor = habilitation.granted_by
    if grantor is None:
        return ADMINISTRATION if habilitation.role == Role.TITULAIRE else GONE_SPACE
    # A deleted space keeps no name (R-DEL-SPACE-1): its subscriber number alone then.
    name = grantor.display_name.strip() if grantor.last_name else ""
    number = f"abonné {grantor.subscriber_number}"
    return f"{name} ({number})" if name else number


def _state(habilitation: Habilitation, today: date) -> str:
    if habilitation.ended_at is not None:
        return f"Terminée le {clock.long_date(habilitation.ended_at)}"
    if habilitation.on_hold:
        return "En veille"
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
        granted_by=granted_by(habilitation),
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

    Live as the policy says (R-HAB-2), and a suppléant's rows while "en veille" (R-SUP-1):
    held but giving no access, said so by their state rather than hidden (they come back on
    reactivation). A bad page number gives the first page, one past the end the last (as
    the security history).
    """
    now = now or clock.now()
    held = Habilitation.objects.filter(policy.live(now) | Q(on_hold=True, ended_at__isnull=True), space=space)
    return _page(held, page, clock.paris(now).date(), live=True)


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
    substitution: bool = False  # R-SUB-1: a substitution of the titulaire, not an adhesion


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
            substitution=request.purpose == AdhesionRequest.Purpose.SUBSTITUTION,
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


def search(query: str) -> Q:
    """Return the condition of a dossier matching query (cleaned by the form: no control character).

    A query of digits (spaces allowed: "732 829 320") matches the SIRENs that start with them,
    and the names that contain them; any other query matches the names that contain it,
    whatever the case. An empty query matches every dossier.
    """
    query = query.strip()
    if not query:
        return Q()
    digits = re.sub(r"\s+", "", query)
    name = Q(name__icontains=query)
    if DIGITS.fullmatch(digits):
        return Q(siren__startswith=digits) | name
    return name


def dossiers_page(space, *, query: str = "", page=None) -> Page:
    """Return one page of the dossiers space holds matching query, sorted by name then SIREN.

    One query for a page that exists: its rows, each carrying the number of rows of the whole
    list (COUNT(*) OVER ()), so that the count costs no second pass over the dossiers held.
    A page number that is not one gives the first page; one out of range, or nothing found,
    goes through Paginator.get_page (the last page, or the empty first one).
    """
    held = policy.dossiers(space).filter(search(query)).only("siren", "name")
    paginator = Paginator(held, settings.DOSSIERS_PAGE_SIZE)
    number = _page_number(page)
    if number is not None:
        bottom = (number - 1) * paginator.per_page
        rows = list(held.annotate(total=Window(Count("pk")))[bottom : bottom + paginator.per_page])
        if rows:
            paginator.count = rows[0].total  # Paginator.count is a cached property: given, not counted
            return Page(rows, number, paginator)
    return paginator.get_page(page)


# Past this, a page number is out of range for any space (and no OFFSET overflows).
MAX_PAGE = 100_000


def _page_number(page) -> int | None:
    """Return the page asked (1 when none or not a number), or None when it is out of range."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else None


def first_sirens(space, limit: int = 2) -> list[str]:
    """Return up to limit SIRENs of dossiers space holds (any of them): enough to tell none,
    one or several apart in one query that stops as soon as it has found them."""
    held = policy.live_habilitations(space).values_list("dossier__siren", flat=True).distinct()
    return list(held[:limit])


def held_services(access: policy.Access) -> list[Service]:
    """Return the services access holds on its dossier, each once, in catalogue order."""
    seen: dict[str, Service] = {}
    for row in access.habilitations:
        seen.setdefault(row.service.code, row.service)
    return list(seen.values())


def habilitation(access: policy.Access, code: str) -> Habilitation | None:
    """Return the habilitation a service page describes: the row of the role the policy gives
    the space on service code (a titulaire outranks a delegation), or None if it holds none."""
    role = access.role(code)
    return next((row for row in access.habilitations if row.service.code == code and row.role == role), None)


# What each role allows on a service of a dossier (R-SUP-1, R-DEL-1, R-ENT-1, R-BANK-1), as the
# service page lists it. A *Payer* service adds the bank accounts for who may manage them.
ROLE_ACTIONS = {
    Role.TITULAIRE: [
        "Utiliser ce service en ligne pour le dossier",
        "Désigner des administrateurs suppléants pour le dossier",
        "Déléguer ce service à un autre espace professionnel",
        "Modifier l'adresse électronique de l'entreprise",
    ],
    Role.SUPPLEANT: [
        "Utiliser ce service en ligne pour le dossier",
        "Gérer les délégations de ce service",
        "Modifier l'adresse électronique de l'entreprise",
    ],
    Role.DELEGATAIRE: [
        "Utiliser ce service en ligne pour le dossier",
    ],
}
BANK_ACTION = "Gérer les comptes bancaires du dossier"
BANK_ROLES = {Role.TITULAIRE, Role.SUPPLEANT}


def role_actions(role: str, service: Service) -> list[str]:
    """Return what role allows on service, in the order the service page lists it."""
    actions = list(ROLE_ACTIONS.get(role, []))
    if service.is_payment and role in BANK_ROLES:
        actions.append(BANK_ACTION)
    return actions


@dataclass(frozen=True)
class ServiceRole:
    """A service held on a dossier and the role the policy gives on it (the dossier page)."""

    service: Service
    role_label: str


def held_roles(access: policy.Access) -> list[ServiceRole]:
    """Return the services access holds, in catalogue order, each with its role's label."""
    return [ServiceRole(service, Role(access.role(service)).label) for service in held_services(access)]


@dataclass(frozen=True)
class Entry:
    """A management entry of the dossier page: its label and the URL name it opens for the dossier."""

    label: str
    url_name: str


# The dossier page's management entries, each with the policy's predicate that allows it:
# a link is shown only to a space the page it opens will not answer 404.
# entreprise's pages are named, not imported (habilitations stands below entreprise).
DOSSIER_ENTRIES: list[tuple[str, str, object]] = [
    ("Désigner un administrateur suppléant", "habilitations:suppleant_designate", policy.may_designate_suppleants),
    ("Déléguer des services", "habilitations:delegation_new", policy.may_delegate),
    ("Modifier l'adresse électronique de l'entreprise", "entreprise:company_email", policy.may_manage_company_email),
    ("Gérer les comptes bancaires", "entreprise:bank_accounts", policy.may_manage_bank_accounts),
]


def dossier_entries(access: policy.Access) -> list[Entry]:
    """Return the management entries of the dossier page that the policy allows access."""
    return [Entry(label, url_name) for label, url_name, allowed in DOSSIER_ENTRIES if allowed(access)]


# R-SUP-1 "Gérer mes administrateurs suppléants"


@dataclass(frozen=True)
class SuppleantRow:
    """One live designation, as its titulaire's list shows it."""

    pk: int
    person: str  # "M. DUPONT Jean": the suppléant's holder (never an email address)
    number: str  # the suppléant's subscriber number
    state: str  # "Actif", "En veille"
    on_hold: bool
    since: datetime  # Paris time of the state's start (designation, hold or reactivation)


@dataclass(frozen=True)
class DossierSuppleants:
    siren: str  # as in URLs
    shown_siren: str  # "732 829 320"
    name: str
    suppleants: list[SuppleantRow] = field(default_factory=list)


@dataclass(frozen=True)
class SuppleantsPage:
    page: Page
    dossiers: list[DossierSuppleants]


def suppleants_page(space, *, page=None, now: datetime | None = None) -> SuppleantsPage:
    """Return one page of the dossiers where space may designate suppléants, each with its live
    designations (oldest first): three queries whatever the numbers (count, dossiers, designations)."""
    titled = policy.designating_dossiers(space, now).only("siren", "name")
    shown = Paginator(titled, settings.DOSSIERS_PAGE_SIZE).get_page(page)
    dossiers = list(shown.object_list)
    by_dossier: dict[int, list[SuppleantRow]] = {}
    live = (
        Suppleance.objects.filter(titulaire=space, dossier__in=dossiers, ended_at__isnull=True)
        .select_related("suppleant")
        .order_by("created_at", "pk")
    )
    for made in live:
        by_dossier.setdefault(made.dossier_id, []).append(
            SuppleantRow(
                pk=made.pk,
                person=person(made.suppleant),
                number=made.suppleant.subscriber_number,
                state=made.get_state_display(),
                on_hold=made.state == Suppleance.State.ON_HOLD,
                since=clock.paris(made.changed_at),
            )
        )
    return SuppleantsPage(
        page=shown,
        dossiers=[
            DossierSuppleants(
                siren=dossier.siren, shown_siren=format_siren(dossier.siren), name=dossier.name,
                suppleants=by_dossier.get(dossier.pk, []),
            )
            for dossier in dossiers
        ],
    )


@dataclass(frozen=True)
class TitledService:
    """A service a space is the live titulaire of: what must be substituted before it leaves."""

    siren: str  # "732 829 320"
    name: str  # the dossier's raison sociale ("" when the register gave none)
    service: str  # "Déclarer › TVA"


def titled_services(space, *, now: datetime | None = None) -> list[TitledService]:
    """Return every service space is the live titulaire of, by dossier (R-DEL-SPACE-1, R-SUB-1).

    One query, whatever the number of dossiers.
    """
    rows = (
        policy.live_habilitations(space, now)
        .filter(role=Role.TITULAIRE)
        .select_related("dossier", "service__family")
        .order_by("dossier__name", "dossier__siren", "service__family__position", "service__position")
    )
    return [
        TitledService(siren=format_siren(row.dossier.siren), name=row.dossier.name, service=str(row.service))
        for row in rows
    ]
# J13 "Gérer mes délégations" (R-DEL-1): the delegations given (per dossier the space
# manages) and received, in words. The policy chose which (policy.delegations_given,
# delegations_received); these rows only say what each is and which buttons it gets.

@dataclass(frozen=True)
class DelegationRow:
    pk: int
    siren: str  # "732 829 320"
    raw_siren: str  # for URLs
    name: str
    other: str  # the other party: "M. DUPONT Jean" (+ its number on the grantor's side)
    grantor: str  # who granted it (the grantor side may hold several managers)
    services: list[str]
    state: str
    ends_on: date | None
    answer_by: datetime | None  # while offered
    offered: bool  # "Accepter" / "Refuser"
    accepted: bool  # "Renoncer"
    revocable: bool  # "Révoquer"


@dataclass(frozen=True)
class DossierDelegations:
    dossier: object
    siren: str
    rows: list[DelegationRow]


def delegation_state(delegation: Delegation, now: datetime) -> str:
    """Return the state as a person reads it: an unanswered offer past its deadline is "Expirée"."""
    today = clock.paris(now).date()
    if delegation.state == Delegation.State.OFFERED and now >= delegation.answer_by:
        return "Expirée"
    if delegation.state == Delegation.State.ACCEPTED and delegation.ends_on is not None and delegation.ends_on < today:
        return f"Arrivée à échéance le {clock.long_date(delegation.ends_on)}"
    return Delegation.State(delegation.state).label


def _delegation_row(delegation: Delegation, now: datetime, *, other: str) -> DelegationRow:
    today = clock.paris(now).date()
    in_time = now < delegation.answer_by
    before_end = delegation.ends_on is None or delegation.ends_on >= today
    offered = delegation.state == Delegation.State.OFFERED and in_time
    accepted = delegation.state == Delegation.State.ACCEPTED and before_end
    granted = [row.service for row in delegation.habilitations.all()]
    services = granted if delegation.state != Delegation.State.OFFERED and granted else list(delegation.services.all())
    services.sort(key=lambda service: (service.family.position, service.position))
    return DelegationRow(
        pk=delegation.pk,
        siren=format_siren(delegation.dossier.siren),
        raw_siren=delegation.dossier.siren,
        name=delegation.dossier.name,
        other=other,
        grantor=sharing.person(delegation.grantor),
        services=[str(service) for service in services],  # "Déclarer › TVA"
        state=delegation_state(delegation, now),
        ends_on=delegation.ends_on,
        answer_by=delegation.answer_by if delegation.state == Delegation.State.OFFERED else None,
        offered=offered,
        accepted=accepted,
        revocable=offered or accepted,
    )


def _with_services(delegations: QuerySet[Delegation]) -> QuerySet[Delegation]:
    return delegations.select_related("dossier", "grantor", "delegate").prefetch_related(
        Prefetch("services", queryset=Service.objects.select_related("family")),
        Prefetch("habilitations", queryset=Habilitation.objects.select_related("service__family")),
    )


def delegations_given(space, now: datetime) -> list[DossierDelegations]:
    """Return, for each dossier space manages (by name), the delegations of its services, newest first."""
    dossiers = list(policy.managed_dossiers(space, now))
    given = _with_services(policy.delegations_given(space, now).filter(dossier__in=dossiers))
    by_dossier: dict[int, list[DelegationRow]] = {dossier.pk: [] for dossier in dossiers}
    for delegation in given:
        row = _delegation_row(delegation, now, other=sharing.party(delegation.delegate))
        by_dossier[delegation.dossier_id].append(row)
    return [DossierDelegations(dossier, format_siren(dossier.siren), by_dossier[dossier.pk]) for dossier in dossiers]


def delegations_received(space, now: datetime) -> list[DelegationRow]:
    """Return the delegations offered to space, newest first."""
    received = _with_services(policy.delegations_received(space))
    return [_delegation_row(delegation, now, other=sharing.person(delegation.grantor)) for delegation in received]


def delegation_given_row(delegation: Delegation, now: datetime) -> DelegationRow:
    """Return delegation as the grantor side reads it (the revocation's confirmation page)."""
    [shown] = _with_services(Delegation.objects.filter(pk=delegation.pk))
    return _delegation_row(shown, now, other=sharing.party(shown.delegate))


def delegation_received_row(delegation: Delegation, now: datetime) -> DelegationRow:
    """Return delegation as its delegate reads it (the renunciation's confirmation page)."""
    [shown] = _with_services(Delegation.objects.filter(pk=delegation.pk))
    return _delegation_row(shown, now, other=sharing.person(shown.grantor))
