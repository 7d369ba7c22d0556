"""Reads that pages and documents share (HackSoft: selectors beside services)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator

from core import audit, clock
from core.identity import format_phone, format_siren
from accounts.events import Kind as Event
from accounts.kinds import Kind
from accounts.models import AccessMode, Civility, Space
from catalogue.models import Service
from codes.models import PendingRequest
from core.messages import message
from core.models import AuditEvent
from core.prepared import Prepared
from habilitations import addresses
from habilitations.models import AdhesionRequest
from habilitations.services import adhesion
from dossiers.models import Dossier
from registre.selectors import company_name


_PASSWORD_SPACE = Prepared(
    lambda email: Space.objects.filter(login_email=email, access_mode=AccessMode.PASSWORD, is_active=True)[:1]
)
_ACTIVE_SPACE = Prepared(lambda pk: Space.objects.filter(pk=pk, is_active=True)[:1], pk=int)


def password_space(email: str) -> Space | None:
    """Return the active password space whose login is email, if any (every login asks)."""
    return _PASSWORD_SPACE.first(email=email)


def active_space(pk) -> Space | None:
    """Return the active space of primary key pk, if any (every logged-in request asks)."""
    return _ACTIVE_SPACE.first(pk=pk)


@dataclass(frozen=True)
class ProfileDisplay:
    """A profile as the summary page (J1.5) and the récapitulatif (R-PDF-1) print it."""

    civility: str
    company_identifier: str  # "987 654 324" for a SIREN, as typed for a foreign identifier
    company_name: str | None  # from the register (R-SIREN-2); None when foreign or unknown
    phone: str  # national format in France (R-PHONE-1)
    address_lines: list[str]


def address_lines(profile: Mapping) -> list[str]:
    """Return the postal address on its lines: street, complement, postcode and city, country."""
    street = " ".join(profile.get(key) or "" for key in ("street_number", "street_type", "street_name")).split()
    town = " ".join(profile.get(key) or "" for key in ("postal_code", "city")).split()
    lines = [" ".join(street), profile.get("address_complement") or "", " ".join(town), profile.get("country") or ""]
    return [line for line in lines if line]


def profile_display(profile: Mapping) -> ProfileDisplay:
    """Return the display of a profile given as a mapping of Space field names (or a payload)."""
    foreign = bool(profile.get("foreign_company"))
    identifier = profile.get("company_identifier") or ""
    return ProfileDisplay(
        civility=Civility(profile["civility"]).label,
        company_identifier=identifier if foreign else format_siren(identifier),
        company_name=None if foreign else company_name(identifier),
        phone=format_phone(profile.get("phone") or ""),
        address_lines=address_lines(profile),
    )


# "Historique de sécurité": what a space's owner sees of its own security events


@dataclass(frozen=True)
class SecurityEvent:
    """One line of the history, in French words: never the event's detail (SPEC §4)."""

    at: datetime  # Paris time
    label: str
    ip: str
    browser: str
    subject: str = ""  # what it is about besides the space: "Dossier 732 829 320 SARL MARTIN" (R-AUDIT-2)
    services: str = ""  # the services it is about, in words
    party: str = ""  # the other space concerned, by name and subscriber number (R-AUDIT-2)


@dataclass(frozen=True)
class SecurityHistoryPage:
    page: Page
    events: list[SecurityEvent]


# Most specific first: Edge and Opera say "Chrome" too, Chrome says "Safari".
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def browser_name(user_agent: str) -> str:
    """Return "Firefox sous Linux" for a user agent: what a person recognises, not the raw string."""
    browser = next((name for token, name in BROWSERS if token in user_agent), None)
    system = next((name for token, name in SYSTEMS if token in user_agent), None)
    if browser and system:
        return f"{browser} sous {system}"
    return browser or system or "Navigateur inconnu"


def kind_label(kind: str) -> str:
    """Return the French label of an audit kind (a kind no longer known keeps a neutral one)."""
    return audit.label(kind) or "Autre événement de sécurité"


DOSSIER_SUBJECT = f"{Dossier._meta.app_label}.{Dossier._meta.model_name}"


def subjects(events) -> dict[tuple[str, str], str]:
    """Return, by (subject_type, subject_id), what events are about in words (R-AUDIT-2).

    Read from the rows the events name, never from their detail (which may hold what the
    person must not be told, R-CODE-2). One query for the dossiers of a page of events.
    """
    ids = {int(event.subject_id) for event in events if event.subject_type == DOSSIER_SUBJECT and event.subject_id.isdigit()}
    return {
        (DOSSIER_SUBJECT, str(dossier.pk)): f"Dossier {format_siren(dossier.siren)} {dossier.name}".strip()
        for dossier in Dossier.objects.filter(pk__in=ids)
    }


def _detail(event, key: str, default):
    """Return one of the two keys of an event's detail a history shows (both public by
    construction: service codes, and the other party's name as habilitations.services.sharing
    writes it); the rest of the detail is never shown."""
    value = event.detail.get(key, default) if isinstance(event.detail, dict) else default
    return value if isinstance(value, type(default)) else default


def service_labels(events) -> dict[str, str]:
    """Return the label of every service code the events' details name (one query)."""
    codes = {code for event in events for code in _detail(event, "services", []) if isinstance(code, str)}
    if not codes:
        return {}
    return {
        service.code: f"{service.family.label} › {service.label}"  # "Déclarer › TVA", "Payer › TVA"
        for service in Service.objects.select_related("family").filter(code__in=codes)
    }


def security_history(space, *, page=None, now: datetime | None = None) -> SecurityHistoryPage:
    """Return one page of space's security events of the last SECURITY_HISTORY_DAYS days,
    newest first. A bad page number gives the first page, one past the end the last."""
    now = now or clock.now()
    events = AuditEvent.objects.filter(space=space, at__gte=now - timedelta(days=settings.SECURITY_HISTORY_DAYS))
    shown = Paginator(events.order_by("-at", "-id"), settings.SECURITY_HISTORY_PAGE_SIZE).get_page(page)
    named = subjects(shown.object_list)
    labels = service_labels(shown.object_list)
    rows = [
        SecurityEvent(
            at=clock.paris(event.at),
            label=kind_label(event.kind),
            ip=event.ip or "inconnue",
            browser=browser_name(event.user_agent),
            subject=named.get((event.subject_type, event.subject_id), ""),
            services=", ".join(labels[code] for code in _detail(event, "services", []) if code in labels),
            party=str(_detail(event, "party", "")),
        )
        for event in shown.object_list
    ]
    return SecurityHistoryPage(page=shown, events=rows)


# Mode simplifié (R-ADH-4): what the confirmation pages of J2 say of the company's email


@dataclass(frozen=True)
class CompanyEmailSent:
    """The code sent to the company's email when the space was created (mode simplifié)."""

    company_email: str
    expires_at: datetime


def company_email_sent(space, at: datetime) -> CompanyEmailSent | None:
    """Return the company-email code the creation of space at ``at`` sent, if it did (J2's page)."""
    pending = PendingRequest.objects.filter(space=space, kind=Kind.COMPANY_EMAIL, created_at=at).first()
    if pending is None or not pending.payload.get("company_email"):
        return None
    return CompanyEmailSent(company_email=pending.payload["company_email"], expires_at=pending.expires_at)


@dataclass(frozen=True)
class CompanyEmailOutcome:
    """What the confirmation of a company email asked (accounts.services.company_email.confirm)."""

    siren: str  # "732 829 320"
    name: str
    siege_lines: list[str]  # under the name, masked as J9 masks them (habilitations.addresses)
    adhesion: AdhesionRequest | None  # the letter's request; None when nothing could be asked
    services: list[Service]  # asked in the letter
    taken: list[Service]  # another space is titulaire: substitution or delegation
    own: list[Service]  # held or asked already by this space
    refused: str  # the register's refusal, in French; "" when none


def company_email_outcome(space, at: datetime) -> CompanyEmailOutcome | None:
    """Return what the company-email code activated at ``at`` asked for space, or None.

    Read back from the audit event its activation recorded, in the same transaction: the
    request's payload is wiped once used (R-CODE-1), the event keeps the SIREN and the
    services judged, never a secret.
    """
    event = (
        AuditEvent.objects.filter(space=space, kind=Event.COMPANY_EMAIL_CONFIRMED, at__gte=at)
        .order_by("at", "id")
        .first()
    )
    if event is None:
        return None
    detail = event.detail
    asked = AdhesionRequest.objects.filter(pk=detail.get("adhesion"), space=space).first()
    try:
        name, lines = adhesion.company_of(detail["siren"])
    except adhesion.AdhesionRefused:
        name, lines = "", []
    return CompanyEmailOutcome(
        siren=format_siren(detail["siren"]),
        name=name,
        siege_lines=addresses.masked(lines)[1:],  # the register's lines start with the name
        adhesion=asked,
        services=list(asked.services.select_related("family")) if asked else [],
        taken=list(Service.objects.select_related("family").filter(code__in=detail.get("taken", []))),
        own=list(Service.objects.select_related("family").filter(code__in=detail.get("own", []))),
        refused=message(detail["refused"]) if detail.get("refused") else "",
    )
