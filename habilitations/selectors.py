"""Reads of habilitations for the pages of the space (R-HOME-1, R-HOME-2).

What a space may see is decided by habilitations.policy; these functions only shape it for
a page: "Voir tous mes dossiers" (a page of the dossiers held, searched and sorted by name),
what the home needs to choose between guide 001's three screens, the habilitation a service
page describes and the actions its role allows. Each runs a fixed number of queries, however
many dossiers the space holds (R-HOME-1: as fast at 1,000 dossiers as at 1).
"""

import re

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Window

from catalogue.models import Service
from habilitations import policy
from habilitations.models import Habilitation, Role

DIGITS = re.compile(r"\d+")


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


def granted_by(row: Habilitation) -> str:
    """Return who granted row: the administration (the activation letter's code, R-ADH-2) or
    the space that designated or delegated (its holder's name and subscriber number)."""
    granter = row.granted_by
    if granter is None:
        return "l'administration (courrier d'activation)"
    # A deleted space keeps no name (R-DEL-SPACE-1): its subscriber number alone then.
    name = granter.display_name.strip() if granter.last_name else ""
    number = f"abonné {granter.subscriber_number}"
    return f"{name} ({number})" if name else number


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
