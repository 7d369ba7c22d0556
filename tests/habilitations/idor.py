"""The IDOR walker (R-HAB-2): every URL of a namespace that takes an id, asked with another space's ids.

``routes()`` walks the URL patterns (includes too) and keeps those of NAMESPACES; each one
with a parameter in its path is requested by space A with the real ids of space B's dossier,
service or request, GET and POST: the answer must be 404 (a 405 for a method the view does
not take, the other method then 404), and nothing of B's may change. A parameter the walker
cannot fill fails the walk: no URL with an id goes unchecked.

To extend it when a journey adds a URL with a new parameter (J10, J11, delegations...):
give ``World`` what B owns of that kind (built in ``build_world``) and add a line to FILL,
parameter name → B's value. A parameter whose meaning depends on the URL may be filled by
URL name instead: FILL["habilitations:delegation_revoke:pk"] wins over FILL["pk"].
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from codes.models import PendingRequest
from dossiers.models import Dossier
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance
from tests.companies import DUPONT, MARTIN, SANS_SIEGE
from tests.entreprise import bank as entreprise_bank
from tests.factories import SpaceFactory
from tests.habilitations import builders

NAMESPACES = ("habilitations", "entreprise")
METHODS = ("get", "post")


@dataclass
class World:
    """Space A (the one asking) and what space B owns: real rows, never A's."""

    mine: object
    theirs: object
    their_dossier: Dossier
    their_service_code: str
    their_request: AdhesionRequest
    extra: dict = field(default_factory=dict)  # room for what later journeys add


# Parameter name (or "namespace:url_name:parameter") → B's value of it.
FILL: dict[str, Callable[[World], object]] = {
    "siren": lambda world: world.their_dossier.siren,
    "code": lambda world: world.their_service_code,
    "service": lambda world: world.their_service_code,
    "pk": lambda world: world.their_request.pk,
    "request_pk": lambda world: world.their_request.pk,
    "adhesion": lambda world: world.their_request.pk,
    # J12: B's designation of a suppléant on its dossier (R-SUP-1)
    "habilitations:suppleant_hold:pk": lambda world: world.extra["suppleance"].pk,
    "habilitations:suppleant_reactivate:pk": lambda world: world.extra["suppleance"].pk,
    "habilitations:suppleant_remove:pk": lambda world: world.extra["suppleance"].pk,
    # J13 (R-DEL-1): a delegation B gave (B revokes it), one B received (B answers it).
    "habilitations:delegation_revoke:pk": lambda world: world.extra["delegation_given"].pk,
    "habilitations:delegation_accept:pk": lambda world: world.extra["delegation_received"].pk,
    "habilitations:delegation_refuse:pk": lambda world: world.extra["delegation_received"].pk,
    "habilitations:delegation_renounce:pk": lambda world: world.extra["delegation_received"].pk,
}


class Unfillable(AssertionError):
    """A URL takes a parameter the walker does not know how to fill with another space's value."""


@dataclass(frozen=True)
class Route:
    name: str  # "habilitations:adhesion", or the route itself when the pattern has no name
    route: str  # the whole path, e.g. "espace/dossiers/<str:siren>/services/<str:code>"
    params: tuple[str, ...]  # the parameters' names, in order


def routes(namespaces=NAMESPACES, urlconf=None) -> list[Route]:
    """Return every route under one of namespaces, includes followed, with its parameters."""
    found: list[Route] = []
    _walk(get_resolver(urlconf).url_patterns, prefix="", namespace=(), params=(), namespaces=namespaces, found=found)
    return found


def _walk(patterns, *, prefix, namespace, params, namespaces, found):
    for entry in patterns:
        route, names = _pattern(entry)
        if isinstance(entry, URLResolver):
            inner = (*namespace, entry.namespace) if entry.namespace else namespace
            _walk(entry.url_patterns, prefix=prefix + route, namespace=inner, params=params + names,
                  namespaces=namespaces, found=found)
        elif isinstance(entry, URLPattern) and any(ns in namespaces for ns in namespace):
            name = ":".join([*namespace, entry.name]) if entry.name else prefix + route
            found.append(Route(name=name, route=prefix + route, params=params + names))


def _pattern(entry) -> tuple[str, tuple[str, ...]]:
    pattern = entry.pattern
    if isinstance(pattern, RoutePattern):
        return str(pattern), tuple(pattern.converters)
    regex = pattern.regex
    if regex.groups:  # re_path with groups: the walker cannot build it, nobody may add one unchecked
        raise Unfillable(f"{pattern}: re_path() avec paramètres, à écrire avec path() pour être vérifié")
    return str(pattern).lstrip("^").rstrip("$"), ()


def with_ids(found: list[Route]) -> list[Route]:
    return [route for route in found if route.params]


def fill(route: Route, world: World, fillers=None) -> str:
    """Return route's path with B's values; raise Unfillable for a parameter not in FILL."""
    fillers = FILL if fillers is None else fillers
    path = route.route
    for name in route.params:
        filler = fillers.get(f"{route.name}:{name}") or fillers.get(name)
        if filler is None:
            raise Unfillable(
                f"{route.name} ({route.route}) : le paramètre <{name}> n'est pas connu du walker IDOR ; "
                "ajoutez à FILL (tests/habilitations/idor.py) la valeur d'un autre espace"
            )
        path = _substitute(path, name, str(filler(world)))
    return "/" + path


def _substitute(path: str, name: str, value: str) -> str:
    return re.sub(r"<(?:[^>:]+:)?" + re.escape(name) + ">", value, path, count=1)


def verdict(statuses: dict[str, int]) -> str | None:
    """Return what is wrong with A's answers (method → status), or None: 404, or 405 then 404."""
    if all(status == 404 for status in statuses.values()):
        return None
    if sorted(statuses.values()) == [404, 405]:
        return None
    return ", ".join(f"{method.upper()} {status}" for method, status in statuses.items())


def snapshot() -> tuple:
    """What a request by A must not change of anyone's: habilitations, requests, codes."""
    return (
        list(Habilitation.objects.order_by("pk").values_list("pk", "space_id", "role", "ended_at", "ends_on")),
        list(AdhesionRequest.objects.order_by("pk").values_list("pk", "state", "resends", "closed_at", "expires_at", "pending_id")),
        list(PendingRequest.objects.order_by("pk").values_list("pk", "used_at", "expires_at", "code_hash")),
        list(Habilitation.objects.order_by("pk").values_list("pk", "on_hold")),
        list(Suppleance.objects.order_by("pk").values_list("pk", "state", "changed_at", "ended_at")),
        list(Dossier.objects.order_by("pk").values_list("pk", "company_email", "company_email_changed_at")),
        list(Delegation.objects.order_by("pk").values_list("pk", "state", "decided_at", "ended_at")),
    )


def build_world(mine, theirs=None) -> World:
    """B titulaire on DUPONT with a letter pending there; A titulaire on MARTIN only."""
    theirs = theirs or SpaceFactory()
    builders.grant(mine, MARTIN, "declarer_tva", name="SARL MARTIN DISTRIBUTION")
    builders.grant(theirs, DUPONT, "declarer_tva", name="DUPONT ET FILS")
    builders.grant(theirs, DUPONT, "consulter_compte_fiscal", Role.DELEGATAIRE)
    request = builders.request(theirs, DUPONT, ["payer_tva"])
    world = World(
        mine=mine, theirs=theirs, their_dossier=Dossier.objects.get(siren=DUPONT), their_service_code="declarer_tva",
        their_request=request,
    )
    world.extra["suppleance"] = builders.suppleance(theirs, DUPONT)  # J12
    # J13: B delegates DUPONT's TVA to a third space; a fourth, titulaire on SANS_SIEGE, delegates to B.
    world.extra["delegation_given"] = builders.delegate(theirs, SpaceFactory(), DUPONT)
    grantor = SpaceFactory()
    builders.grant(grantor, SANS_SIEGE, "declarer_tva", name="SANS SIEGE")
    world.extra["delegation_received"] = builders.delegate(grantor, theirs, SANS_SIEGE)
    return world


@dataclass
class Walk:
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def walk(client, world: World, found: list[Route], owner_client=None, fillers=None) -> Walk:
    """Ask every route of found that takes an id as A (client); return what was checked and what leaked.

    ``owner_client`` (logged in as B) checks first that each URL filled is a real one of B's:
    a GET that B gets a 404 for would prove nothing.
    """
    result = Walk()
    for route in with_ids(found):
        url = fill(route, world, fillers)
        if owner_client is not None:
            owner = owner_client.get(url).status_code
            if owner == 404:
                result.problems.append(f"{route.name} {url} : 404 pour son propriétaire aussi (valeur de FILL fausse ?)")
        before = snapshot()
        statuses = {method: getattr(client, method)(url).status_code for method in METHODS}
        wrong = verdict(statuses)
        if wrong:
            result.problems.append(f"{route.name} {url} : {wrong} pour un autre espace (404 attendu)")
        if snapshot() != before:
            result.problems.append(f"{route.name} {url} : les données de l'autre espace ont changé")
        result.checked.append(route.name)
    return result


# J18 (R-BANK-1): B manages the bank accounts of DUPONT (a *Payer* service) and has one there.
def their_bank_account(world: World):
    """Return B's bank account on DUPONT, made at the first call (B then holds payer_tva there)."""
    if "bank_account" not in world.extra:
        entreprise_bank.payer(world.theirs, DUPONT)
        world.extra["bank_account"] = entreprise_bank.add_account(world.theirs, DUPONT)
    return world.extra["bank_account"]


def their_bank_siren(world: World) -> str:
    their_bank_account(world)
    return world.their_dossier.siren


for _name in ("bank_accounts", "bank_account_add", "bank_account_recap", "bank_mandate", "bank_account_remove"):
    FILL[f"entreprise:{_name}:siren"] = their_bank_siren
for _name in ("bank_mandate", "bank_account_remove"):
    FILL[f"entreprise:{_name}:pk"] = lambda world: their_bank_account(world).pk
