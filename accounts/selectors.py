"""Reads that pages and documents share (HackSoft: selectors beside services)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator

from core import audit, clock
from core.identity import format_phone, format_siren
from accounts.models import AccessMode, Civility, Space
from core.models import AuditEvent
from core.prepared import Prepared
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


def security_history(space, *, page=None, now: datetime | None = None) -> SecurityHistoryPage:
    """Return one page of space's security events of the last SECURITY_HISTORY_DAYS days,
    newest first. A bad page number gives the first page, one past the end the last."""
    now = now or clock.now()
    events = AuditEvent.objects.filter(space=space, at__gte=now - timedelta(days=settings.SECURITY_HISTORY_DAYS))
    shown = Paginator(events.order_by("-at", "-id"), settings.SECURITY_HISTORY_PAGE_SIZE).get_page(page)
    named = subjects(shown.object_list)
    rows = [
        SecurityEvent(
            at=clock.paris(event.at),
            label=kind_label(event.kind),
            ip=event.ip or "inconnue",
            browser=browser_name(event.user_agent),
            subject=named.get((event.subject_type, event.subject_id), ""),
        )
        for event in shown.object_list
    ]
    return SecurityHistoryPage(page=shown, events=rows)
