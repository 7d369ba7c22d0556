"""The policy matrix of issue 15 item 4 (R-HAB-2), generated (not a test module).

A *state* is what a space X is towards dossier D (MARTIN): titulaire, suppléant active / en
veille / removed, délégataire offered / accepted / refused / revoked / renounced / past its
end date / offer past its answer date, substituted titulaire, requester of a pending
substitution, no relation at all. STATES is the one table of them; ``build(state)`` makes
the world of a state with the models directly (no service function of the journeys whose
views the matrix checks), and ``capabilities(state)`` computes from the state's definition
alone what X may do there — never from the policy module it checks.

A *door* is a URL name of the namespaces the matrix walks (habilitations, entreprise, and
espace's pages that show dossiers). DOORS gives each one the capability it needs, how to
fill its parameters from the world, the minimum of its form, and for a page without an id
whether D appears on it for a state. tests/habilitations/test_policy_matrix.py fails for a
URL of those namespaces without a door, and for a door naming no URL: a new view cannot
escape the matrix.

To add a view: add its URL name to DOORS with the capability it needs (one of CAPABILITIES,
or ANYONE for a page every signed-in space may open), its parameters (``siren``, ``code`` and
``pk`` are known: say which object of D a ``pk`` is with ``pk=``), its form's minimum
(``data``) and, for a page without an id, ``shows`` (when D must, may or must not appear).
A new kind of relationship is a new row of STATES and, if it needs one, a new capability.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import timedelta
from io import BytesIO

from django.conf import settings

from catalogue.models import Service
from core import clock
from core.identity import format_siren
from dossiers.models import Dossier
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Statut, Suppleance
from tests.companies import MARTIN
from tests.entreprise import bank as entreprise_bank
from tests.factories import SpaceFactory

NAME = "SARL MARTIN DISTRIBUTION"
TITLED = ("declarer_tva", "payer_tva")  # the titulaire's services of D (payer_tva: a Payer service)
DELEGATED = ("declarer_tva",)
SERVICE = "declarer_tva"  # the service of the doors that take a ``code``
NAMESPACES = ("habilitations", "entreprise")
ESPACE_DOORS = ("espace:home", "espace:recap_pdf", "espace:security_history")  # espace's pages showing dossiers
METHODS = ("GET", "POST")
DAY = timedelta(days=1)

# Who X is in the world: one of the parties of D's sharing, or nobody.
TITULAIRE, SUPPLEANT, DELEGATE, FORMER, REQUESTER, NOBODY = (
    "titulaire", "suppleant", "delegate", "former_titulaire", "requester", "nobody"
)


@dataclass(frozen=True)
class State:
    """What X is towards D: its party, and the state of that party's relationship."""

    name: str
    party: str
    suppleance: str | None = None  # Suppleance.State of X's designation
    delegation: str | None = None  # Delegation.State of the delegation offered to X
    end_date_passed: bool = False  # an accepted delegation whose ends_on was yesterday (Paris)
    answer_date_passed: bool = False  # an offer past its answer_by
    delegated: tuple[str, ...] = ("declarer_tva",)  # the services of the delegation offered to X


STATES: tuple[State, ...] = (
    State("titulaire", TITULAIRE),
    State("suppleant_actif", SUPPLEANT, suppleance=Suppleance.State.ACTIVE),
    State("suppleant_en_veille", SUPPLEANT, suppleance=Suppleance.State.ON_HOLD),
    State("suppleant_supprime", SUPPLEANT, suppleance=Suppleance.State.REMOVED),
    State("delegataire_propose", DELEGATE, delegation=Delegation.State.OFFERED),
    State("delegataire_accepte", DELEGATE, delegation=Delegation.State.ACCEPTED),
    State("delegataire_refuse", DELEGATE, delegation=Delegation.State.REFUSED),
    State("delegataire_revoque", DELEGATE, delegation=Delegation.State.REVOKED),
    State("delegataire_renonce", DELEGATE, delegation=Delegation.State.RENOUNCED),
    State("delegataire_echu", DELEGATE, delegation=Delegation.State.ACCEPTED, end_date_passed=True),
    State("delegataire_offre_expiree", DELEGATE, delegation=Delegation.State.OFFERED, answer_date_passed=True),
    # A Payer service delegated: still no bank accounts (R-BANK-1), and not the service page of another.
    State("delegataire_payeur", DELEGATE, delegation=Delegation.State.ACCEPTED, delegated=("payer_tva",)),
    State("titulaire_substitue", FORMER),
    State("demandeur_substitution", REQUESTER),
    State("sans_relation", NOBODY),
)
BY_NAME = {state.name: state for state in STATES}


# Capabilities: what X may do, from the state's definition alone.

@dataclass(frozen=True)
class Capabilities:
    held: tuple[str, ...]  # the services X holds live on D (codes)
    role: str | None  # the role of those rows
    uses: bool  # a live role on a service of D
    serves: bool  # a live role on declarer_tva (the ``code`` of the doors that take one)
    manages: bool  # titulaire or active suppléant: delegations, company email
    titulaire: bool  # suppléants
    bank: bool  # manages a Payer service: bank accounts
    receives: bool  # the delegate of the delegation of the world (whatever its state)
    receives_live: bool  # ... while it is a live offer or a live delegation
    requester: bool  # the requester of the pending substitution of the world
    related: bool  # any relationship with D, live or past (its own history may name D)
    rows_shown: bool  # J11 lists rows of X on D: live, or ended lately (on hold: neither)


CAPABILITIES = ("uses", "serves", "manages", "titulaire", "bank", "receives", "requester")
ANYONE = "anyone"  # a page every signed-in space opens (D shown or not: see Door.shows)


def capabilities(state: State) -> Capabilities:
    """Return what X may do on D in state, read from its definition."""
    if state.party == TITULAIRE:
        held, role = TITLED, Role.TITULAIRE
    elif state.party == SUPPLEANT and state.suppleance == Suppleance.State.ACTIVE:
        held, role = TITLED, Role.SUPPLEANT
    elif state.party == DELEGATE and state.delegation == Delegation.State.ACCEPTED and not state.end_date_passed:
        held, role = state.delegated, Role.DELEGATAIRE
    else:
        held, role = (), None
    manages = role in (Role.TITULAIRE, Role.SUPPLEANT)
    payment = set(Service.objects.filter(is_payment=True).values_list("code", flat=True))
    receives = state.party == DELEGATE
    live_offer = state.delegation == Delegation.State.OFFERED and not state.answer_date_passed
    ended_rows = (
        (state.party == SUPPLEANT and state.suppleance == Suppleance.State.REMOVED)
        or (state.party == DELEGATE and state.delegation in (Delegation.State.REVOKED, Delegation.State.RENOUNCED))
        or state.end_date_passed
        or state.party == FORMER
    )
    return Capabilities(
        held=held,
        role=role,
        uses=bool(held),
        serves=SERVICE in held,
        manages=manages,
        titulaire=role == Role.TITULAIRE,
        bank=manages and any(code in payment for code in held),
        receives=receives,
        receives_live=receives and (live_offer or bool(held)),
        requester=state.party == REQUESTER,
        related=state.party != NOBODY,
        rows_shown=bool(held) or ended_rows,
    )


# The world of a state.

@dataclass
class World:
    """X (the space asking), D, and the parties of D's sharing (X is one of them, or none)."""

    state: State
    space: object
    dossier: Dossier
    titulaire: object  # the live titulaire of D's services now
    others: list = field(default_factory=list)  # every other space of the world: none may leak to X
    objects: dict = field(default_factory=dict)  # "suppleance", "delegation", "request", "bank_account"

    @property
    def caps(self) -> Capabilities:
        return capabilities(self.state)

    def secrets(self) -> list[str]:
        """Return what a page X may not see must not contain: D and the other spaces' identities."""
        found = [D_SIREN, format_siren(D_SIREN), NAME, "MARTIN DISTRIBUTION"]
        for other in self.others:
            found += [other.subscriber_number, other.last_name]
        return found


D_SIREN = MARTIN


def _space(last_name: str):
    # Not the factory's company identifier: it is D's SIREN, which would then be on X's own pages.
    return SpaceFactory(last_name=last_name, company_identifier="404483117")


def _rows(space, dossier, codes, role, *, granted_by=None, started_at=None, **extra) -> list[Habilitation]:
    return [
        Habilitation.objects.create(
            space=space, dossier=dossier, service=Service.objects.get(code=code), role=role,
            granted_by=granted_by, started_at=started_at or clock.now() - 10 * DAY, **extra,
        )
        for code in codes
    ]


def _suppleance(dossier, titulaire, suppleant, state: str) -> Suppleance:
    now = clock.now()
    ended = now - DAY if state in (Suppleance.State.REMOVED, Suppleance.State.ENDED) else None
    made = Suppleance.objects.create(
        dossier=dossier, titulaire=titulaire, suppleant=suppleant, state=state,
        created_at=now - 10 * DAY, changed_at=now - DAY, ended_at=ended,
    )
    _rows(suppleant, dossier, TITLED, Role.SUPPLEANT, granted_by=titulaire, suppleance=made,
          on_hold=state == Suppleance.State.ON_HOLD, ended_at=ended)
    return made


def _delegation(
    dossier, grantor, delegate, state: str, *, end_date_passed=False, answer_date_passed=False, services=DELEGATED
) -> Delegation:
    now = clock.now()
    created = now - 40 * DAY if answer_date_passed else now - 5 * DAY
    answered = state not in (Delegation.State.OFFERED,)
    ended = now - DAY if state in (Delegation.State.REFUSED, Delegation.State.REVOKED, Delegation.State.RENOUNCED) else None
    ends_on = clock.paris(now).date() - DAY if end_date_passed else None
    made = Delegation.objects.create(
        dossier=dossier, grantor=grantor, delegate=delegate, state=state, ends_on=ends_on,
        created_at=created, answer_by=created + settings.DELEGATION_ANSWER_TTL,
        decided_at=created + DAY if answered else None, ended_at=ended,
    )
    made.services.set(Service.objects.filter(code__in=services))
    if state in (Delegation.State.ACCEPTED, Delegation.State.REVOKED, Delegation.State.RENOUNCED):
        _rows(delegate, dossier, services, Role.DELEGATAIRE, granted_by=grantor, delegation=made,
              ends_on=ends_on, ended_at=ended)
    return made


def _request(dossier, requester) -> AdhesionRequest:
    """A pending substitution of D's declarer_tva (R-SUB-1), as J11 lists it: visible to its requester only."""
    now = clock.now()
    made = AdhesionRequest.objects.create(
        space=requester, dossier=dossier, statut=Statut.REPRESENTANT_LEGAL, purpose=AdhesionRequest.Purpose.SUBSTITUTION,
        address=[NAME, "12 RUE DE LA PAIX", "75002 PARIS"], created_at=now - DAY,
        expires_at=now - DAY + settings.ADHESION_CODE_TTL,
    )
    made.services.set(Service.objects.filter(code__in=DELEGATED))
    return made


def build(state: State) -> World:
    """Return the world of state: X, D, its titulaire and one live object of each kind a door is about.

    Each kind of object (a designation, a delegation, a request) is X's own when X is that
    party, else a bystander's: the doors about it are then asked on X's own object (the hard
    case: X knows its id) or on another space's of D.
    """
    dossier = Dossier.objects.create(siren=D_SIREN, name=NAME, created_at=clock.now() - 30 * DAY)
    space = _space("MATRICEX")
    if state.party == TITULAIRE:
        titulaire = space
    else:
        titulaire = _space("VAUQUELIN")
    if state.party == FORMER:  # substituted: X's rows ended yesterday, the new titulaire's began then
        _rows(space, dossier, TITLED, Role.TITULAIRE, started_at=clock.now() - 20 * DAY, ended_at=clock.now() - DAY)
    _rows(titulaire, dossier, TITLED, Role.TITULAIRE)
    world = World(state=state, space=space, dossier=dossier, titulaire=titulaire)
    if titulaire is not space:
        world.others.append(titulaire)

    if state.party == SUPPLEANT:
        world.objects["suppleance"] = _suppleance(dossier, titulaire, space, state.suppleance)
    else:
        bystander = _space("BELLEGARDE")
        world.others.append(bystander)
        world.objects["suppleance"] = _suppleance(dossier, titulaire, bystander, Suppleance.State.ACTIVE)

    if state.party == DELEGATE:
        world.objects["delegation"] = _delegation(
            dossier, titulaire, space, state.delegation,
            end_date_passed=state.end_date_passed, answer_date_passed=state.answer_date_passed, services=state.delegated,
        )
    else:
        cabinet = _space("CORNEILLAN")
        world.others.append(cabinet)
        world.objects["delegation"] = _delegation(dossier, titulaire, cabinet, Delegation.State.ACCEPTED)

    if state.party == REQUESTER:
        world.objects["request"] = _request(dossier, space)
    else:
        requester = _space("DESTOUCHES")
        world.others.append(requester)
        world.objects["request"] = _request(dossier, requester)

    # J18: an account of D added by its titulaire through the service, as "Confirmer" does.
    world.objects["bank_account"] = entreprise_bank.add_account(titulaire)
    return world


# Doors.

Shows = Callable[[Capabilities], bool | None]  # True: D must appear; False: must not; None: may


@dataclass(frozen=True)
class Door:
    """One URL name: the capability it needs, its parameters from the world, its form's minimum."""

    needs: str  # a capability of CAPABILITIES, or ANYONE
    pk: str | None = None  # the kind of object (World.objects) its ``pk`` is
    data: Callable[[World], dict] | None = None  # the POST's minimum
    shows: Shows | None = None  # a page without an id: whether D appears for a state
    pdf: bool = False  # its body is a PDF: D is looked for in its text

    def allowed(self, caps: Capabilities) -> bool:
        return self.needs == ANYONE or getattr(caps, self.needs)


def shown_if(capability: str, maybe: str | None = None) -> Shows:
    """D appears when the state has capability; with ``maybe``, it may appear (its own history)."""

    def shows(caps: Capabilities) -> bool | None:
        if getattr(caps, capability):
            return True
        return None if maybe and getattr(caps, maybe) else False

    return shows


def shown_never(maybe: str) -> Shows:
    """A page about no dossier: D may appear only for a state with ``maybe`` (e.g. its own request)."""
    return lambda caps: None if getattr(caps, maybe) else False


def _list_shows(caps: Capabilities) -> bool | None:
    """J11: live rows, rows ended lately and pending requests; a suppléant en veille's rows are
    neither live nor ended (the base lists them nowhere; J12 may say "en veille")."""
    if caps.rows_shown or caps.requester:
        return True
    # J13 may list a live offer there too; a refused or lapsed one has left nothing to show.
    return None if caps.receives_live or (caps.related and not caps.receives) else False


def _suppleants_shows(caps: Capabilities) -> bool | None:
    """J12's list is the titulaire's; a suppléant may be told whose suppléant it is (its own relation)."""
    return True if caps.titulaire else None if caps.related and not caps.receives and not caps.requester else False


def _with_siren(world: World) -> dict:
    return {"siren": world.dossier.siren}


DOORS: dict[str, Door] = {
    # J9 "Adhérer aux services": about no dossier of the world.
    "habilitations:adhesion": Door(ANYONE, shows=shown_never("related")),
    "habilitations:adhesion_recap": Door(ANYONE, shows=shown_never("related")),
    "habilitations:adhesion_sent": Door(ANYONE, shows=shown_never("related")),
    # J11 and its actions on a pending request (the world's substitution request).
    "habilitations:list": Door(ANYONE, shows=_list_shows),
    "habilitations:cancel": Door("requester", pk="request"),
    "habilitations:resend": Door("requester", pk="request"),
    # R-HOME-1, R-HOME-2.
    "habilitations:dossiers": Door(ANYONE, shows=shown_if("uses")),
    "habilitations:choose_dossier": Door("uses", data=_with_siren),
    "habilitations:service": Door("serves"),
    "habilitations:dossier": Door("uses"),
    # J12 "Gérer mes administrateurs suppléants" (the world's designation).
    "habilitations:suppleants": Door(ANYONE, shows=_suppleants_shows),
    "habilitations:suppleant_designate": Door("titulaire"),
    "habilitations:suppleant_hold": Door("titulaire", pk="suppleance"),
    "habilitations:suppleant_reactivate": Door("titulaire", pk="suppleance"),
    "habilitations:suppleant_remove": Door("titulaire", pk="suppleance"),
    # J13 "Gérer mes délégations" (the world's delegation).
    "habilitations:delegations": Door(ANYONE, shows=shown_if("manages", maybe="receives")),
    "habilitations:delegation_new": Door("manages"),
    "habilitations:delegation_recap": Door("manages"),
    "habilitations:delegation_revoke": Door("manages", pk="delegation"),
    "habilitations:delegation_accept": Door("receives", pk="delegation"),
    "habilitations:delegation_refuse": Door("receives", pk="delegation"),
    "habilitations:delegation_renounce": Door("receives", pk="delegation"),
    # J14 "Remplacer le titulaire (substitution)": a form about no dossier yet.
    "habilitations:substitution": Door(ANYONE, shows=shown_never("related")),
    "habilitations:substitution_recap": Door(ANYONE, shows=shown_never("related")),
    "habilitations:substitution_sent": Door(ANYONE, shows=shown_never("related")),
    # J17 "Modifier l'adresse électronique de l'entreprise".
    "entreprise:company_email": Door("manages"),
    "entreprise:company_email_sent": Door("manages"),
    "entreprise:company_email_dossiers": Door(ANYONE, shows=shown_if("manages")),
    # J18 "Gérer les comptes bancaires" (a Payer service managed).
    "entreprise:bank_dossiers": Door(ANYONE, shows=shown_if("bank")),
    "entreprise:bank_accounts": Door("bank"),
    "entreprise:bank_account_add": Door("bank"),
    "entreprise:bank_account_recap": Door("bank"),
    "entreprise:bank_mandate": Door("bank", pk="bank_account"),
    "entreprise:bank_account_remove": Door("bank", pk="bank_account"),
    # The home (current dossier, dossiers to choose), the recap PDF, the security history.
    "espace:home": Door(ANYONE, shows=shown_if("uses", maybe="receives_live")),
    "espace:recap_pdf": Door(ANYONE, shows=shown_if("uses"), pdf=True),
    "espace:security_history": Door(ANYONE, shows=shown_never("related")),
}


class Unfillable(AssertionError):
    """A door's parameter the matrix does not know how to fill from the world."""


def fill(name: str, params: tuple[str, ...], world: World) -> dict:
    """Return the URL kwargs of door name from the world: siren → D, code → declarer_tva, pk → its object."""
    door = DOORS[name]
    kwargs = {}
    for param in params:
        if param == "siren":
            kwargs[param] = world.dossier.siren
        elif param == "code":
            kwargs[param] = SERVICE
        elif param == "pk" and door.pk in world.objects:
            kwargs[param] = world.objects[door.pk].pk
        else:
            raise Unfillable(
                f"{name} : paramètre <{param}> inconnu de la matrice (tests/habilitations/matrix.py DOORS, pk=…)"
            )
    return kwargs


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(body)).pages)


def _product_text() -> tuple[str, ...]:
    """Return the product's own words that happen to hold D's SIREN: the search field's example
    (habilitations.forms.dossiers) names MARTIN's; it is on every list page, for everybody."""
    from habilitations.forms.dossiers import query_field

    return (str(query_field("").help_text),)


def _without_product_text(text: str) -> str:
    for fixed in _product_text():
        text = text.replace(fixed, "")
    return text


def leaks(text: str, world: World) -> list[str]:
    """Return the secrets of world found in text (D in any format, the other spaces' numbers and names)."""
    text = _without_product_text(text)
    squeezed = " ".join(text.split())
    return [secret for secret in world.secrets() if secret and (secret in text or secret in squeezed)]


def appears(text: str, world: World) -> bool:
    text = _without_product_text(text)
    squeezed = " ".join(text.split())
    return any(mark in text or mark in squeezed for mark in (D_SIREN, format_siren(D_SIREN), NAME))


def _field_names(cls) -> list[str]:
    return [f.name for f in fields(cls)]


assert set(CAPABILITIES) <= set(_field_names(Capabilities))
assert all(door.needs == ANYONE or door.needs in CAPABILITIES for door in DOORS.values())
