"""What the console shows (R-AST-1): the reads of its pages, never a secret.

A space is shown by what identifies it and the state of its access: never its password
hash, its trust answer, a code or a code's digest, a letter's context (it holds the code)
or an audit event's detail (an event of the assistance aside, whose detail is the agent's
own words). Each function builds plain rows: templates get no model instance of a space
to walk into.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q

from accounts import selectors as space_selectors
from accounts.models import AccessMode, Space
from assistance.events import Kind as Event
from assistance.services.actions import ACTIONS
from codes import registry
from codes.models import OutboxLetter, PendingRequest
from core import audit, clock
from core.identity import format_phone, format_siren
from core.models import AuditEvent
from core.throttle import Throttle
from entreprise import selectors as bank_selectors
from entreprise.models import MandateStatus
from habilitations.events import Kind as HabilitationEvent
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Suppleance

SEARCH_LIMIT = 50
# The assistance's actions on spaces: the agents' history lists these kinds.
ACTION_KINDS = (Event.DELAY_LIFTED, Event.LETTER_RESENT, Event.BANK_MANDATE_CONFIRMED)
# What agents looked at, in the agents' history beside their actions (not in the space's own).
CONSULTATIONS = {
    Event.SEARCHED: "Recherche",
    Event.SPACE_VIEWED: "Consultation de l'espace",
    Event.SPACE_HISTORY_VIEWED: "Consultation de l'historique de l'espace",
}
# A letter is queued in the transaction of its request, moments after it (codes.letters).
LETTER_WINDOW = timedelta(minutes=1)


# --- Search ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    number: str
    name: str  # "Mme ROSEMONDE Lila"
    login_email: str
    access_mode: str
    is_active: bool


def search(query: str) -> list[Found]:
    """Return the spaces a typed query names: a subscriber number, a login or contact email,
    a SIREN (the spaces holding or having held a habilitation on that dossier, or declared
    with it) or a last name (whole, any case). At most SEARCH_LIMIT."""
    text = " ".join(query.split())
    digits = text.replace(" ", "")
    if digits.isdigit() and len(digits) == 14:
        spaces = Space.objects.filter(subscriber_number=digits)
    elif "@" in text:
        spaces = Space.objects.filter(Q(login_email__iexact=text) | Q(contact_email__iexact=text))
    elif digits.isdigit() and len(digits) == 9:
        held = Habilitation.objects.filter(dossier__siren=digits).values("space_id")
        spaces = Space.objects.filter(Q(pk__in=held) | Q(company_identifier=digits))
    else:
        spaces = Space.objects.filter(last_name__iexact=text)
    return [
        Found(
            number=space.subscriber_number,
            name=f"{space.civility_short} {space.display_name}",
            login_email=space.login_email or "",
            access_mode=space.get_access_mode_display(),
            is_active=space.is_active,
        )
        for space in spaces.order_by("last_name", "first_name", "subscriber_number")[:SEARCH_LIMIT]
    ]


def space(number: str) -> Space | None:
    """Return the space of a subscriber number, active or not, or None."""
    number = (number or "").strip()
    if not (number.isdigit() and len(number) == 14):
        return None
    return Space.objects.filter(subscriber_number=number).first()


# --- A space's state ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a table: its cells in words, and the pk an action may name (or None)."""

    cells: list[str]
    pk: int | None = None
    actions: list[str] = field(default_factory=list)  # names of ACTIONS available on it


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[Row]
    empty: str
    with_actions: bool = False

    @property
    def labelled(self) -> list[tuple[Row, list[tuple[str, str]]]]:
        """Return each row with its cells named by their column (stacked on a phone)."""
        return [(row, list(zip(self.headers, row.cells, strict=True))) for row in self.rows]


@dataclass(frozen=True)
class SpaceState:
    number: str
    identity: list[tuple[str, str]]  # (label, value)
    is_password: bool
    throttle_failures: int
    blocked_until: datetime | None
    tables: list[Table]


def _when(moment: datetime | None) -> str:
    return f"{clock.paris(moment):%d/%m/%Y %H:%M}" if moment else "—"


def _day(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "—"


def _dossier(dossier) -> str:
    return f"{format_siren(dossier.siren)} {dossier.name}".strip()


def _person(space) -> str:
    return f"{space.civility_short} {space.display_name} ({space.subscriber_number})" if space else "—"


def identity(space: Space) -> list[tuple[str, str]]:
    address = space_selectors.address_lines(
        {key: getattr(space, key) for key in (
            "street_number", "street_type", "street_name", "address_complement", "postal_code", "city", "country"
        )}
    )  # fmt: skip
    company = space.company_identifier if space.foreign_company else format_siren(space.company_identifier)
    return [
        ("Numéro d'abonné", space.subscriber_number),
        ("Nom", f"{space.get_civility_display()} {space.last_name.upper()} {space.first_name}"),
        ("État de l'espace", "Actif" if space.is_active else "Supprimé ou désactivé"),
        ("Mode d'accès", space.get_access_mode_display()),
        ("Adresse électronique de connexion", space.login_email or "—"),
        ("Adresse électronique de contact", space.contact_email),
        ("Téléphone", format_phone(space.phone)),
        ("Entreprise déclarée", company),
        ("Adresse postale", ", ".join(address) or "—"),
        ("Question de confiance", space.trust_question),  # the question only, never the answer
        ("Créé le", _when(space.created_at)),
        ("Mot de passe modifié le", _when(space.password_changed_at)),
        ("Expiration du mot de passe", _day(space.password_expires_on)),
    ]


def _kind_label(name: str) -> str:
    try:
        return registry.get(name).label
    except registry.UnknownKind:
        return "Autre demande"


def _letters(space: Space, adhesions, now: datetime) -> list[Row]:
    """Return the letters of space's requests (codes' letters outbox knows no space).

    A letter is written in the transaction of its request: it goes to the request's address,
    within LETTER_WINDOW after the request was made, or before its "letter sent again" event.
    Reference, state and dates only: never the context, which holds the code.
    """
    rows = []
    resent = {}
    for event in AuditEvent.objects.filter(space=space, kind=HabilitationEvent.LETTER_RESENT):
        resent.setdefault(event.subject_id, []).append(event.at)
    seen = set()
    for asked in adhesions:
        windows = [(asked.created_at, asked.created_at + LETTER_WINDOW)]
        windows += [(at - LETTER_WINDOW, at) for at in resent.get(str(asked.dossier_id), []) if at >= asked.created_at]
        moments = Q()
        for start, end in windows:
            moments |= Q(created_at__gte=start, created_at__lte=end)
        for letter in OutboxLetter.objects.filter(moments).order_by("created_at", "id"):
            if letter.pk in seen or letter.address != asked.address and letter.address[:1] != asked.address[:1]:
                continue
            seen.add(letter.pk)
            rows.append(
                Row(
                    [
                        letter.reference,
                        _dossier(asked.dossier),
                        letter.get_status_display(),
                        _when(letter.created_at),
                        _when(letter.sent_at),
                    ]
                )
            )
    return rows


def _habilitation_state(row: Habilitation, today: date) -> str:
    if row.ended_at:
        return f"Terminée le {_when(row.ended_at)}"
    if row.on_hold:
        return "En veille"
    if row.ends_on and row.ends_on < today:
        return f"Échue le {_day(row.ends_on)}"
    return f"Active jusqu'au {_day(row.ends_on)}" if row.ends_on else "Active"


def space_state(space: Space, now: datetime | None = None) -> SpaceState:
    """Return what the console shows of space: identity, access, throttle, requests, rights."""
    now = now or clock.now()
    today = clock.paris(now).date()
    is_password = space.access_mode == AccessMode.PASSWORD and bool(space.login_email)
    throttle = Throttle.default().state(account=space.login_email) if is_password else None
    pending = [
        Row([_kind_label(row.kind), _when(row.created_at), _when(row.expires_at)])
        for row in PendingRequest.objects.filter(space=space, used_at__isnull=True, expires_at__gt=now).order_by(
            "expires_at"
        )
    ]
    adhesions = list(
        AdhesionRequest.objects.filter(space=space).select_related("dossier").prefetch_related("services__family")
    )
    adhesion_rows = []
    for asked in adhesions:
        live = asked.state == AdhesionRequest.State.PENDING and asked.expires_at > now
        may_resend = live and asked.resends < settings.ADHESION_LETTER_RESENDS
        adhesion_rows.append(
            Row(
                [
                    _dossier(asked.dossier),
                    asked.get_purpose_display(),
                    ", ".join(f"{service.family.label} › {service.label}" for service in asked.services.all()),
                    asked.get_state_display() if live or asked.state != AdhesionRequest.State.PENDING else "Expirée",
                    _when(asked.created_at),
                    _when(asked.expires_at),
                    str(asked.resends),
                ],
                pk=asked.pk,
                actions=["renvoyer-courrier"] if may_resend else [],
            )
        )
    habilitations = [
        Row(
            [
                _dossier(row.dossier),
                f"{row.service.family.label} › {row.service.label}",
                row.get_role_display(),
                _habilitation_state(row, today),
                _when(row.started_at),
                _person(row.granted_by) if row.granted_by_id else "l'administration (courrier)",
            ]
        )
        for row in Habilitation.objects.filter(space=space)
        .select_related("dossier", "service__family", "granted_by")
        .order_by("ended_at", "dossier__name", "service__family__position", "service__position")
    ]
    suppleances = [
        Row(
            [
                _dossier(row.dossier),
                _person(row.titulaire),
                _person(row.suppleant),
                row.get_state_display(),
                _when(row.created_at),
            ]
        )
        for row in Suppleance.objects.filter(Q(titulaire=space) | Q(suppleant=space)).select_related(
            "dossier", "titulaire", "suppleant"
        )
    ]
    delegations = [
        Row(
            [
                _dossier(row.dossier),
                _person(row.grantor),
                _person(row.delegate),
                ", ".join(f"{service.family.label} › {service.label}" for service in row.services.all()),
                row.get_state_display(),
                _day(row.ends_on),
            ]
        )
        for row in Delegation.objects.filter(Q(grantor=space) | Q(delegate=space))
        .select_related("dossier", "grantor", "delegate")
        .prefetch_related("services__family")
    ]
    # IBANs masked only (R-BANK-1): the console is not the owner's page.
    bank = [
        Row(
            [
                _dossier(row.dossier),
                row.iban_masked,
                row.bic or "—",
                row.holder,
                row.rum,
                row.get_core_status_display(),
                row.get_b2b_status_display(),
                _when(row.created_at),
                _when(row.mandate_confirmed_at),
                _when(row.removed_at),
            ],
            pk=row.pk,
            actions=["confirmer-mandat"] if row.b2b_status == MandateStatus.PENDING and not row.removed_at else [],
        )
        for row in bank_selectors.space_bank_accounts(space)
    ]
    return SpaceState(
        number=space.subscriber_number,
        identity=identity(space),
        is_password=is_password,
        throttle_failures=throttle.failures if throttle else 0,
        blocked_until=throttle.blocked_until if throttle else None,
        tables=[
            Table("Demandes en attente d'un code", ["Demande", "Créée le", "Valable jusqu'au"], pending,
                  "Aucune demande en attente d'un code."),
            Table("Demandes d'adhésion (courrier)",
                  ["Dossier", "Objet", "Services", "État", "Créée le", "Code valable jusqu'au", "Renvois"],
                  adhesion_rows, "Aucune demande d'adhésion.", with_actions=True),
            Table("Courriers", ["Référence", "Dossier", "État", "Créé le", "Remis à l'imprimeur le"],
                  _letters(space, adhesions, now), "Aucun courrier."),
            Table("Habilitations", ["Dossier", "Service", "Rôle", "État", "Depuis", "Accordée par"], habilitations,
                  "Aucune habilitation."),
            Table("Administrateurs suppléants", ["Dossier", "Titulaire", "Suppléant", "État", "Désigné le"],
                  suppleances, "Aucune désignation de suppléant."),
            Table("Délégations", ["Dossier", "Accordée par", "Délégataire", "Services", "État", "Jusqu'au"],
                  delegations, "Aucune délégation."),
            Table("Comptes bancaires",
                  ["Dossier", "IBAN", "BIC", "Titulaire du compte", "RUM", "CORE", "Interentreprises/B2B",
                   "Ajouté le", "Mandat confirmé le", "Supprimé le"],
                  bank, "Aucun compte bancaire sur les dossiers de cet espace.", with_actions=True),
        ],
    )  # fmt: skip


# --- Histories ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    label: str
    ip: str
    browser: str
    subject: str
    agent: str  # for an action of the assistance: its agent and reason
    reason: str


@dataclass(frozen=True)
class HistoryPage:
    page: Page
    rows: list[HistoryRow]


def _detail(event, key: str) -> str:
    value = event.detail.get(key, "") if isinstance(event.detail, dict) else ""
    return value if isinstance(value, str) else ""


def kinds_of(space: Space) -> list[tuple[str, str]]:
    """Return (kind, label) of every kind of event space's history holds, by label."""
    # order_by("kind"): the model orders by date, which DISTINCT would otherwise select too.
    kinds = AuditEvent.objects.filter(space=space).order_by("kind").values_list("kind", flat=True).distinct()
    return sorted(((kind, space_selectors.kind_label(kind)) for kind in kinds), key=lambda pair: (pair[1], pair[0]))


def space_history(
    space: Space, *, kind: str = "", start: date | None = None, end: date | None = None, page=None
) -> HistoryPage:
    """Return one page of space's whole security history, newest first, filtered by kind and
    by Paris days. Never an event's detail, but the agent and reason of the assistance's own."""
    events = AuditEvent.objects.filter(space=space)
    if kind:
        events = events.filter(kind=kind)
    if start:
        events = events.filter(at__gte=datetime.combine(start, time(), clock.PARIS))
    if end:
        events = events.filter(at__lt=datetime.combine(end + timedelta(days=1), time(), clock.PARIS))
    shown = Paginator(events.order_by("-at", "-id"), settings.ASSISTANCE_PAGE_SIZE).get_page(page)
    named = space_selectors.subjects(shown.object_list)
    rows = [
        HistoryRow(
            at=clock.paris(event.at),
            label=space_selectors.kind_label(event.kind),
            ip=event.ip or "inconnue",
            browser=space_selectors.browser_name(event.user_agent),
            subject=named.get((event.subject_type, event.subject_id), ""),
            agent=_agent(event) if event.kind in ACTION_KINDS else "",
            reason=_detail(event, "reason") if event.kind in ACTION_KINDS else "",
        )
        for event in shown.object_list
    ]
    return HistoryPage(page=shown, rows=rows)


def _searched(event) -> str:
    found = event.detail.get("found") if isinstance(event.detail, dict) else None
    count = found if isinstance(found, int) else 0
    return f"« {_detail(event, 'query')} » : {count} espace(s) trouvé(s)"


def _action_subject(event, named) -> str:
    if event.kind in CONSULTATIONS:  # the space itself, already in its column
        return ""
    return named.get((event.subject_type, event.subject_id), "")


def _agent(event) -> str:
    return f"{_detail(event, 'agent_name')} ({_detail(event, 'agent')})"


@dataclass(frozen=True)
class ActionRow:
    at: datetime
    agent: str
    action: str
    number: str  # the space's subscriber number ("" if it is gone)
    subject: str
    reason: str


@dataclass(frozen=True)
class ActionsPage:
    page: Page
    rows: list[ActionRow]


def actions(*, page=None) -> ActionsPage:
    """Return one page of every agent's actions on spaces and of what they looked at, newest first."""
    kinds = (*ACTION_KINDS, *CONSULTATIONS)
    events = AuditEvent.objects.filter(kind__in=kinds).select_related("space").order_by("-at", "-id")
    shown = Paginator(events, settings.ASSISTANCE_PAGE_SIZE).get_page(page)
    named = space_selectors.subjects(shown.object_list)
    titles = {**{action.kind: action.title for action in ACTIONS.values()}, **CONSULTATIONS}
    rows = [
        ActionRow(
            at=clock.paris(event.at),
            agent=_agent(event),
            action=titles.get(event.kind, audit.label(event.kind) or ""),
            number=event.space.subscriber_number if event.space else _detail(event, "number"),
            subject=_searched(event) if event.kind == Event.SEARCHED else _action_subject(event, named),
            reason=_detail(event, "reason"),
        )
        for event in shown.object_list
    ]
    return ActionsPage(page=shown, rows=rows)
