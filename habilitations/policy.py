"""The one place authorisation on dossiers is decided (R-HAB-2).

Pure functions over the space's live habilitations, read from the database at each call:
nothing here trusts what a session remembers. Every dossier page and action asks this
module (through ``habilitations.decorators.dossier_view`` or directly in a flow); what a
space may not see is answered as if it did not exist (404), whatever id is typed.

A habilitation is live while it has not ended, is not on hold (a suppléant "en veille",
R-SUP-1) and, when it has an end date (a delegation, R-DEL-1), until that date has passed
(Paris day, R-TIME-1): all three are read from the row at each check, so that no job has to
run for an end date or a hold to take effect.

What each role may do on a dossier (SPEC §5):
- titulaire: its services; designates suppléants (R-SUP-1); delegates (R-DEL-1); the
  company email (R-ENT-1); the bank accounts when it holds a *Payer* service (R-BANK-1);
- suppléant (active): the titulaire's services; delegates; company email; bank accounts;
  never designates suppléants, substitutes, or ends the titulaire's rights;
- délégataire: the services delegated, nothing else (no delegation, bank, company email,
  suppléants).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from catalogue.models import Service
from core import clock
from dossiers.models import Dossier
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance


# A space may hold several roles on one service (titulaire and délégataire of it, say): the
# rows come in no set order among themselves, the rank decides.
RANK = {Role.TITULAIRE: 0, Role.SUPPLEANT: 1, Role.DELEGATAIRE: 2}


def live(now: datetime | None = None) -> Q:
    """Return the condition of a live habilitation at now."""
    today = clock.paris(now or clock.now()).date()
    return Q(ended_at__isnull=True, on_hold=False) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


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

    def managed(self) -> list[Service]:
        """Return the services the space holds as titulaire or suppléant: those it may delegate
        (R-DEL-1) and whose delegations it sees and revokes."""
        seen, services = set(), []
        for row in self.habilitations:
            if self.roles[row.service.code] in MANAGERS and row.service.code not in seen:
                seen.add(row.service.code)
                services.append(row.service)
        return services

    def titled(self) -> list[Service]:
        """Return the services the space is titulaire of (R-SUP-1: what its suppléants hold)."""
        return [service for service in self.managed() if self.roles[service.code] == Role.TITULAIRE]


# The roles that manage a dossier's sharing and data besides using its services.
MANAGERS = frozenset({Role.TITULAIRE, Role.SUPPLEANT})


def may_designate_suppleants(allowed: Access | None) -> bool:
    """R-SUP-1: "Gérer mes administrateurs suppléants" is the titulaire's only."""
    return allowed is not None and allowed.is_titulaire


def designating_dossiers(space, now: datetime | None = None) -> QuerySet[Dossier]:
    """Return the dossiers where may_designate_suppleants holds for space, by name, in one query.

    A live titulaire row is what makes Access.is_titulaire true: "Gérer mes administrateurs
    suppléants" lists these dossiers (R-SUP-1) without an Access for each.
    """
    held = live_habilitations(space, now).filter(role=Role.TITULAIRE).values("dossier_id")
    return Dossier.objects.filter(pk__in=held).order_by("name", "siren")


def may_delegate(allowed: Access | None) -> bool:
    """R-DEL-1: the titulaire or an active suppléant (a délégataire never delegates further)."""
    return allowed is not None and any(role in MANAGERS for role in allowed.roles.values())


def may_manage_company_email(allowed: Access | None) -> bool:
    """R-ENT-1: the titulaire or an active suppléant of the dossier."""
    return may_delegate(allowed)


def company_email_dossiers(space, now: datetime | None = None) -> QuerySet[Dossier]:
    """Return the dossiers whose company email space may manage (R-ENT-1), by name.

    The same rule as may_manage_company_email, for every dossier at once: a live
    titulaire or suppléant habilitation on one of its services.
    """
    held = live_habilitations(space, now).filter(role__in=MANAGERS).values("dossier_id")
    return Dossier.objects.filter(pk__in=held).order_by("name", "siren")


def may_manage_bank_accounts(allowed: Access | None) -> bool:
    """R-BANK-1: the titulaire or an active suppléant of a *Payer* service of the dossier."""
    return allowed is not None and any(service.is_payment for service in allowed.managed())


def suppleance(allowed: Access | None, pk) -> Suppleance | None:
    """Return the live designation pk of the dossier that this titulaire made, or None (404).

    Only the titulaire who designated a suppléant acts on it (R-SUP-1); ``pk`` may come from
    a form: anything that is not a number is nobody's.
    """
    pk = _number(pk)
    if not may_designate_suppleants(allowed) or pk is None:
        return None
    return (
        Suppleance.objects.select_related("dossier", "suppleant", "titulaire")
        .filter(pk=pk, dossier=allowed.dossier, titulaire=allowed.space, ended_at__isnull=True)
        .first()
    )


def delegation_given(allowed: Access | None, pk) -> Delegation | None:
    """Return delegation pk of the dossier if the space manages one of its services, or None.

    The titulaire and the active suppléants of a service see and revoke every delegation of
    it, whoever of them granted it (R-DEL-1).
    """
    pk = _number(pk)
    if not may_delegate(allowed) or pk is None:
        return None
    managed = [service.pk for service in allowed.managed()]
    return (
        Delegation.objects.select_related("dossier", "grantor", "delegate")
        .filter(pk=pk, dossier=allowed.dossier, services__in=managed)
        .distinct()
        .first()
    )


def delegation_received(space, pk) -> Delegation | None:
    """Return delegation pk if it was offered to space, or None (another's is a 404)."""
    pk = _number(pk)
    if not getattr(space, "is_authenticated", False) or not space.is_active or pk is None:
        return None
    return Delegation.objects.select_related("dossier", "grantor").filter(pk=pk, delegate=space).first()


def _number(pk) -> int | None:
    try:
        return int(pk)
    except (TypeError, ValueError):
        return None


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
    pk = _number(pk)
    if not getattr(space, "is_authenticated", False) or not space.is_active or pk is None:
        return None
    return AdhesionRequest.objects.select_related("dossier").filter(pk=pk, space=space).first()


def delegations_given(space, now: datetime | None = None) -> QuerySet[Delegation]:
    """Return the delegations space sees as grantor side: those of a service it manages now.

    The list's counterpart of delegation_given (R-DEL-1): a service of the delegation held
    live by space as titulaire or suppléant, on the delegation's dossier.
    """
    managed = live_habilitations(space, now).filter(role__in=MANAGERS)
    links = Delegation.services.through.objects.filter(
        Exists(managed.filter(dossier_id=OuterRef("delegation__dossier_id"), service_id=OuterRef("service_id")))
    )
    return Delegation.objects.filter(pk__in=links.values("delegation_id"))


def delegations_received(space) -> QuerySet[Delegation]:
    """Return the delegations offered to space (R-DEL-1 "Délégations reçues")."""
    if not getattr(space, "is_authenticated", False) or not space.is_active:
        return Delegation.objects.none()
    return Delegation.objects.filter(delegate=space)


def managed_dossiers(space, now: datetime | None = None) -> QuerySet[Dossier]:
    """Return the dossiers where space may delegate (titulaire or active suppléant of a service), by name."""
    managed = live_habilitations(space, now).filter(role__in=MANAGERS).values("dossier_id")
    return Dossier.objects.filter(pk__in=managed).order_by("name", "siren")
