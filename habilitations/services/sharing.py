"""What designating a suppléant (R-SUP-1) and a délégataire (R-DEL-1) share.

- ``find_space``: the other space, by its subscriber number AND its holder's last name
  (choice: so that numbers cannot be used to harvest names), the same refusal for every
  mismatch, every check counted per acting space and per client address.
- ``person``: how a space is named to the other party (emails, pages, security history):
  civilité, last name, first name, never an email address.
- ``record_shared``: one audit event for each space concerned (R-AUDIT-2), naming the
  other party, so that each sees it in its own security history.

HTTP-free but for the request the audit and the throttle read the client's address from.
"""

import unicodedata

from django.contrib.auth import get_user_model

from core import audit
from core.client import client_ip
from core.throttle import Throttle
from habilitations.events import Kind as Event


class DesignationRefused(Exception):
    """The number and name match no other active space, or too many checks: ``code`` keys the message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def comparable(name: str) -> str:
    """Return name without accents, case, hyphens or extra spaces: "Lefèvre-Dupont" ~ "LEFEVRE DUPONT"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.replace("-", " ").replace("'", " ").casefold().split())


def find_space(request, *, actor, number: str, last_name: str):
    """Return the active space of subscriber number whose holder's last name is last_name.

    Raise DesignationRefused("designation_throttled") past either ceiling, before any look-up,
    and DesignationRefused("designation_unknown") for every mismatch: no such number, another
    name, a closed space, or the actor itself; the refusal is audited in the actor's history.
    """
    throttle = Throttle.default()
    # Both ceilings are counted at every check, a match too: what is counted is the guessing.
    per_space = throttle.within_limit("designations_per_space", key=str(actor.pk))
    per_address = throttle.within_limit("designations_per_address", key=client_ip(request))
    if not (per_space and per_address):
        raise DesignationRefused("designation_throttled")
    number = "".join((number or "").split())
    found = (
        get_user_model().objects.filter(subscriber_number=number, is_active=True).first()
        if number.isdigit() and len(number) == 14
        else None
    )
    if found is None or found.pk == actor.pk or comparable(found.last_name) != comparable(last_name):
        audit.record(request, Event.DESIGNATION_REFUSED, space=actor)
        raise DesignationRefused("designation_unknown")
    return found


def person(space) -> str:
    """Return "Monsieur DUPONT Jean": how a space is named to another (never its email address).

    The civility in full, as a letter or an email writes it to a third party; the header's
    "Mme"/"M." (Space.civility_short) is the space's own name, abbreviated for the header.
    """
    if space is None or getattr(space, "deleted_at", None) is not None:  # a tombstone has no name left
        return "un espace supprimé"
    return " ".join(part for part in (space.get_civility_display(), space.last_name, space.first_name) if part)


def party(space) -> str:
    """Return "Monsieur DUPONT Jean (n° d'abonné 12345678901234)": the other party in a history row."""
    if space is None or getattr(space, "deleted_at", None) is not None:
        return person(None)
    return f"{person(space)} (n° d'abonné {space.subscriber_number})"


def record_shared(
    request, kind: str, *, actor, spaces, subject, services=(), authority: str = "l'administration", **detail
) -> None:
    """Record kind once for each distinct space of spaces (R-AUDIT-2), naming who acted.

    Each row's ``party`` (shown in that space's security history) names the other side: the
    actor for the spaces it acted on, the first other space for the actor, ``authority`` when
    no space acted (an agent of the assistance names itself). ``services`` are stored as codes
    and shown as labels.
    """
    concerned = []
    for space in spaces:
        if space is not None and space.pk not in {other.pk for other in concerned}:
            concerned.append(space)
    codes = [service.code for service in services]
    for space in concerned:
        if actor is not None and space.pk == actor.pk:
            others = [other for other in concerned if other.pk != space.pk]
            named = party(others[0]) if others else ""
        else:
            named = party(actor) if actor is not None else authority
        audit.record(
            request,
            kind,
            space=space,
            subject=subject,
            party=named,
            actor=actor.subscriber_number if actor is not None else "",
            services=codes,
            **detail,
        )
