"""R-SUB-1 under real races, on the real PostgreSQL: substitutions of one titulaire's services
activated at the same moment give one titulaire per service at every moment.

Each activation locks the live titulaire rows it ends (select_for_update, in catalogue order):
the others wait, then find the winner titulaire and substitute it in turn, as they would
one after the other; the one-live-titulaire constraint holds the invariant. What the first
titulaire shared (its suppléant's rows, the delegation on those services) ends once, and its
holders are emailed once.
"""

import pytest
from django.db import connection

from core.models import AuditEvent
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance
from mailer.models import OutboxEmail
from tests.companies import MARTIN
from tests.conftest import need
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations.racing import load_catalogue, past_the_captcha, submit
from tests.threads import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SERVICES = ["declarer_tva", "payer_tva"]


@pytest.fixture(autouse=True)
def postgres_only():
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")
    load_catalogue()


def live_titulaires(code: str) -> list[int]:
    return list(
        Habilitation.objects.filter(
            dossier__siren=MARTIN, service__code=code, role=Role.TITULAIRE, ended_at__isnull=True
        ).values_list("space_id", flat=True)
    )


@pytest.mark.parametrize("count", [2, 5])
def test_r_sub_1_substitutions_of_one_service_activated_at_once_give_one_titulaire(spool, count):
    former = SpaceFactory(login_email="ancien@exemple.fr")
    for code in SERVICES:
        builders.grant(former, MARTIN, code)
    suppleant = SpaceFactory(login_email="suppleant@exemple.fr")
    designation = builders.suppleance_with_rows(former, suppleant, MARTIN)
    cabinet = SpaceFactory(login_email="cabinet@exemple.fr")
    delegated = builders.delegation(former, cabinet, MARTIN, ["declarer_tva"])
    spaces = [SpaceFactory(login_email=f"rival{index}@exemple.fr") for index in range(count)]
    codes = [builders.substitution_with_code(space, MARTIN, spool, SERVICES)[1] for space in spaces]
    clients = [past_the_captcha(code) for code in codes]

    statuses, errors = run_threads(count, lambda index: submit(clients[index], codes[index], spaces[index].login_email))

    assert not errors
    assert statuses == [302] * count
    [winner] = live_titulaires("declarer_tva")
    assert live_titulaires("payer_tva") == [winner]  # rows locked in one order: never split
    assert winner in {space.pk for space in spaces}
    # Taken in turns: every requester was titulaire once; all but the last were substituted in turn.
    rows = Habilitation.objects.filter(dossier__siren=MARTIN, role=Role.TITULAIRE)
    assert rows.count() == len(SERVICES) * (count + 1)
    assert rows.filter(ended_at__isnull=True).count() == len(SERVICES)
    assert AuditEvent.objects.filter(kind="habilitations.titulaire_substituted").count() == count
    assert AdhesionRequest.objects.filter(state=AdhesionRequest.State.ACTIVATED).count() == count
    # What the first titulaire shared ended once, its holders told once.
    designation.refresh_from_db()
    delegated.refresh_from_db()
    assert designation.state == Suppleance.State.ENDED and delegated.state == Delegation.State.ENDED
    assert not Habilitation.objects.filter(space__in=[suppleant, cabinet], ended_at__isnull=True).exists()
    for holder in (former, suppleant, cabinet):
        assert OutboxEmail.objects.filter(to=holder.contact_email).count() == 1
