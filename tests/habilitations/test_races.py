"""R-ADH-2 and R-CODE-1 under real races, on the real PostgreSQL: the database decides, once.

(a) One letter's code submitted at the same moment by many browsers: one activation, one set
    of habilitations. (b) Several spaces holding letters for the same free service of one
    company use their codes at the same moment: one titulaire (the one-live-titulaire
    constraint), the others told the service was taken.

Every request goes through J2's pages with its own test client, hence its own thread and
database connection (tests/threads.py).
"""

import pytest
from django.db import connection

from codes.models import PendingRequest
from core.models import AuditEvent
from habilitations.models import AdhesionRequest, Habilitation, Role
from tests.companies import MARTIN
from tests.conftest import need
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations.racing import load_catalogue, past_the_captcha, submit
from tests.threads import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
EMAIL = "lila.rosemonde@exemple.fr"


@pytest.fixture(autouse=True)
def postgres_only():
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")


@pytest.fixture(autouse=True)
def catalogue():
    load_catalogue()


def titulaires_of(code: str) -> list[int]:
    return list(
        Habilitation.objects.filter(
            dossier__siren=MARTIN, service__code=code, role=Role.TITULAIRE, ended_at__isnull=True
        ).values_list("space_id", flat=True)
    )


def test_r_code_1_one_letter_code_submitted_twenty_times_at_once_activates_once(spool):
    space = SpaceFactory(login_email=EMAIL)
    asked, code = builders.request_with_code(space, MARTIN, spool, ["declarer_tva", "payer_tva"])
    clients = [past_the_captcha(code) for _ in range(20)]

    statuses, errors = run_threads(20, lambda index: submit(clients[index], code, EMAIL))

    assert not errors
    assert sorted(statuses) == [302] + [400] * 19
    assert Habilitation.objects.count() == 2
    assert titulaires_of("declarer_tva") == [space.pk] and titulaires_of("payer_tva") == [space.pk]
    asked.refresh_from_db()
    assert asked.state == AdhesionRequest.State.ACTIVATED
    assert PendingRequest.objects.get(pk=asked.pending_id).used_at is not None
    assert AuditEvent.objects.filter(kind="habilitations.adhesion_activated").count() == 1
    assert AuditEvent.objects.filter(kind="codes.activation_ok").count() == 1


@pytest.mark.parametrize("count", [2, 10])
def test_r_adh_2_spaces_activating_the_same_free_service_at_once_one_titulaire(spool, count):
    spaces = [SpaceFactory(login_email=f"rival{index}@exemple.fr") for index in range(count)]
    codes = [builders.request_with_code(space, MARTIN, spool, ["declarer_tva", "payer_tva"])[1] for space in spaces]
    clients = [past_the_captcha(code) for code in codes]

    statuses, errors = run_threads(count, lambda index: submit(clients[index], codes[index], spaces[index].login_email))

    assert not errors
    assert statuses == [302] * count  # every code was good: each is applied, with what was left
    [winner] = titulaires_of("declarer_tva")
    assert titulaires_of("payer_tva") == [winner]  # services are taken in catalogue order: no split
    assert AdhesionRequest.objects.filter(state=AdhesionRequest.State.ACTIVATED).count() == count
    for space, client in zip(spaces, clients, strict=True):
        page = client.get("/activation/recapitulatif").content.decode()
        events = AuditEvent.objects.filter(kind="habilitations.adhesion_activated", space=space)
        [detail] = events.values_list("detail", flat=True)
        if space.pk == winner:
            assert detail["services"] == ["declarer_tva", "payer_tva"] and detail["taken"] == []
            assert "Vos services ont été activés" in page and "Aucun service n'a été activé" not in page
        else:
            assert detail["services"] == [] and detail["taken"] == ["declarer_tva", "payer_tva"]
            assert "Aucun service n'a été activé" in page and "Déclarer › TVA" in page and "Payer › TVA" in page
