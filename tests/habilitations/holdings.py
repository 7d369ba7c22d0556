"""Holdings the tests of the home (R-HOME-1), the list of dossiers and the service pages (R-HOME-2)
share (not a test module): dossiers and habilitations made directly. The home benchmark
(bench/home_bench.py) makes its thousand dossiers with many_dossiers too."""

from datetime import date, datetime

from catalogue.models import Service
from core import clock
from accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY
from dossiers.models import Dossier
from habilitations.models import Habilitation, Role
from tests.companies import DUPONT, MARTIN

# A few services of three families, as a company's titulaire often holds them.
SERVICES = ["consulter_compte_fiscal", "declarer_tva", "declarer_is", "payer_tva", "messagerie"]


def sign_in(client, space) -> None:
    """Open a session for space, as the login flow leaves it (the keys of the session rules)."""
    client.force_login(space)
    session = client.session
    session[AUTH_AT_KEY] = session[SEEN_AT_KEY] = clock.now().timestamp()
    session.save()


def dossier(siren: str = MARTIN, name: str = "SARL MARTIN DISTRIBUTION") -> Dossier:
    return Dossier.objects.get_or_create(siren=siren, defaults={"name": name, "created_at": clock.now()})[0]


def martin() -> Dossier:
    return dossier(MARTIN, "SARL MARTIN DISTRIBUTION")


def dupont() -> Dossier:
    return dossier(DUPONT, "DUPONT ET FILS")


def hold(
    space,
    held: Dossier,
    codes=SERVICES,
    *,
    role: str = Role.TITULAIRE,
    granted_by=None,
    started_at: datetime | None = None,
    ends_on: date | None = None,
    ended_at: datetime | None = None,
) -> list[Habilitation]:
    """Give space the services of codes on held, with role."""
    services = Service.objects.filter(code__in=list(codes))
    assert len(services) == len(codes), codes
    return [
        Habilitation.objects.create(
            space=space,
            dossier=held,
            service=service,
            role=role,
            granted_by=granted_by,
            started_at=started_at or clock.now(),
            ends_on=ends_on,
            ended_at=ended_at,
        )
        for service in services
    ]


def many_dossiers(space, count: int, codes=SERVICES, *, first: int = 0, prefix: str = "ENTREPRISE") -> list[Dossier]:
    """Give space count new dossiers (SIRENs 100000000 + first…, names "{prefix} 0001"…), each
    with the services of codes, in two bulk inserts."""
    now = clock.now()
    made = Dossier.objects.bulk_create(
        Dossier(siren=f"{100_000_000 + first + n:09d}", name=f"{prefix} {first + n:04d}", created_at=now)
        for n in range(count)
    )
    made = list(Dossier.objects.filter(siren__in=[d.siren for d in made]))  # primary keys on every database
    services = list(Service.objects.filter(code__in=list(codes)))
    Habilitation.objects.bulk_create(
        Habilitation(space=space, dossier=d, service=s, role=Role.TITULAIRE, started_at=now)
        for d in made
        for s in services
    )
    return made
