"""Dossiers, habilitations and adhesion requests for SPEC §5's tests, built as the product builds them."""

from datetime import datetime

from django.test import TestCase

from catalogue.models import Service
from core import clock
from dossiers.models import Dossier
from dossiers.services.dossiers import open_dossier
from habilitations.models import AdhesionRequest, Habilitation, Role
from habilitations.services import adhesion
from tests.codes.letter_files import code_in
from tests.habilitations.letters import letters_in


def dossier(siren: str, name: str = "") -> Dossier:
    return open_dossier(siren=siren, name=name, now=clock.now())


def service(code: str) -> Service:
    return Service.objects.get(code=code)


def grant(space, siren: str, code: str, role: str = Role.TITULAIRE, name: str = "", **fields) -> Habilitation:
    """Give space the role on the service of code for the dossier of siren, from now (or ``started_at``)."""
    fields.setdefault("started_at", clock.now())
    return Habilitation.objects.create(space=space, dossier=dossier(siren, name), service=service(code), role=role, **fields)


def request(space, siren: str, codes=("declarer_tva",), now: datetime | None = None, statut="representant_legal") -> AdhesionRequest:
    """Open an adhesion request of space (its letter written to LETTER_SPOOL_DIR once committed)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return adhesion.request_adhesion(
            space=space, siren=siren, statut=statut, service_codes=list(codes), now=now or clock.now()
        )


def new_letter_code(spool, before: set) -> str:
    """Return the code of the one letter written to spool since ``before`` (letters_in then)."""
    [letter] = set(letters_in(spool)) - before
    return code_in(letter)


def request_with_code(space, siren: str, spool, codes=("declarer_tva",), now: datetime | None = None):
    """Return (request, the code of its letter), read back from the spool as the company would."""
    before = set(letters_in(spool))
    asked = request(space, siren, codes, now)
    return asked, new_letter_code(spool, before)


def resend_with_code(asked: AdhesionRequest, spool, now: datetime | None = None) -> str:
    """Send asked's letter again; return the new letter's code."""
    before = set(letters_in(spool))
    with TestCase.captureOnCommitCallbacks(execute=True):
        adhesion.resend(adhesion=asked, now=now or clock.now())
    return new_letter_code(spool, before)


def suppleance(titulaire, siren: str, suppleant=None, now: datetime | None = None, on_hold: bool = False):
    """Designate suppleant (a new space if None) as titulaire's administrateur suppléant on siren,
    through the service (R-SUP-1: its rows, audit and email); put on hold if asked."""
    from habilitations import policy
    from habilitations.services import suppleants
    from tests.factories import SpaceFactory

    now = now or clock.now()
    made = suppleants.designate(access=policy.access(titulaire, siren), suppleant=suppleant or SpaceFactory(), now=now)
    if on_hold:
        made = suppleants.put_on_hold(suppleance=made, now=now)
    return made


# J16 (R-DEL-SPACE-1): the rows a departing space may hold, built as the sharing journeys leave them.


def suppleance_rows(titulaire, suppleant, siren: str, codes=("declarer_tva",), name: str = ""):
    """Make suppleant the active suppléant of titulaire on the dossier of siren: the designation and one row per service."""
    from habilitations.models import Suppleance

    now = clock.now()
    designation = Suppleance.objects.create(
        dossier=dossier(siren, name), titulaire=titulaire, suppleant=suppleant, created_at=now, changed_at=now
    )
    for code in codes:
        grant(suppleant, siren, code, Role.SUPPLEANT, name, granted_by=titulaire, suppleance=designation)
    return designation


def delegation_rows(grantor, delegate, siren: str, codes=("declarer_tva",), accepted: bool = True, name: str = ""):
    """Offer a delegation of codes from grantor to delegate; accepted, with the délégataire's rows."""
    from django.conf import settings

    from habilitations.models import Delegation

    now = clock.now()
    offer = Delegation.objects.create(
        dossier=dossier(siren, name),
        grantor=grantor,
        delegate=delegate,
        state=Delegation.State.ACCEPTED if accepted else Delegation.State.OFFERED,
        created_at=now,
        answer_by=now + settings.DELEGATION_ANSWER_TTL,
        decided_at=now if accepted else None,
    )
    offer.services.set([service(code) for code in codes])
    if accepted:
        for code in codes:
            grant(delegate, siren, code, Role.DELEGATAIRE, name, granted_by=grantor, delegation=offer)
    return offer


# J13 délégations (R-DEL-1)


def delegate(grantor, delegate_space, siren: str, codes=("declarer_tva",), ends_on=None, now: datetime | None = None):
    """Return a delegation of codes on siren's dossier offered by grantor (who must manage them) to delegate_space."""
    from habilitations import policy
    from habilitations.services import delegations

    now = now or clock.now()
    return delegations.offer(
        grantor=grantor, access=policy.access(grantor, siren, now), delegate=delegate_space, services=list(codes),
        ends_on=ends_on, now=now,
    )


def accepted_delegation(grantor, delegate_space, siren: str, codes=("declarer_tva",), ends_on=None, now: datetime | None = None):
    """Return a delegation offered by grantor and accepted by delegate_space (its habilitation rows created)."""
    from habilitations.services import delegations

    now = now or clock.now()
    offered = delegate(grantor, delegate_space, siren, codes, ends_on=ends_on, now=now)
    return delegations.accept(delegation=offered, now=now)


# J14 substitution (R-SUB-1): the suppléants and delegations it ends, built with the models
# as SPEC §5's base describes them (J12 and J13 write the journeys that make them).


def suppleance_with_rows(titulaire, suppleant, siren: str, codes=None, state=None):
    """Designate suppleant for titulaire on the dossier of siren: one suppléant row per live
    titulaire service of titulaire there (``codes``: these only), on hold when ``state`` says so."""
    from habilitations.models import Suppleance

    state = state or Suppleance.State.ACTIVE
    now, folder = clock.now(), dossier(siren)
    designation = Suppleance.objects.create(
        dossier=folder, titulaire=titulaire, suppleant=suppleant, state=state, created_at=now, changed_at=now
    )
    held = Habilitation.objects.filter(space=titulaire, dossier=folder, role=Role.TITULAIRE, ended_at__isnull=True)
    for row in held.filter(service__code__in=codes) if codes else held:
        Habilitation.objects.create(
            space=suppleant, dossier=folder, service=row.service, role=Role.SUPPLEANT, granted_by=titulaire,
            started_at=now, suppleance=designation, on_hold=state == Suppleance.State.ON_HOLD,
        )
    return designation


def delegation(grantor, delegate, siren: str, codes, state=None, ends_on=None, created_at=None):
    """Delegate the services of codes of the dossier of siren from grantor to delegate; accepted
    (the default) it holds one délégataire row per service, offered none."""
    from django.conf import settings

    from habilitations.models import Delegation

    state = state or Delegation.State.ACCEPTED
    now = created_at or clock.now()
    accepted = state == Delegation.State.ACCEPTED
    made = Delegation.objects.create(
        dossier=dossier(siren), grantor=grantor, delegate=delegate, ends_on=ends_on, state=state, created_at=now,
        answer_by=now + settings.DELEGATION_ANSWER_TTL, decided_at=now if accepted else None,
    )
    services = [service(code) for code in codes]
    made.services.set(services)
    for one in services if accepted else []:
        Habilitation.objects.create(
            space=delegate, dossier=made.dossier, service=one, role=Role.DELEGATAIRE, granted_by=grantor,
            started_at=now, ends_on=ends_on, delegation=made,
        )
    return made


def substitution_with_code(space, siren: str, spool, codes=("declarer_tva",), now: datetime | None = None):
    """Open a substitution request of space as J14 does; return (request, the code of its letter)."""
    from habilitations.services import substitution

    before = set(letters_in(spool))
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = substitution.request_substitution(
            space=space, siren=siren, statut="representant_legal", service_codes=list(codes), now=now or clock.now()
        )
    return asked, new_letter_code(spool, before)
