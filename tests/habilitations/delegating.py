"""What the J13 tests share (not a test module): spaces, a suppléant built from rows, URLs, emails."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from core import clock
from habilitations.models import Habilitation, Role, Suppleance
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.companies import MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders, steps

LIST = "/espace/partage/delegations"
NUMBER_A, NUMBER_B, NUMBER_C = "20260540000101", "20260540000202", "20260540000303"


def new_url(siren=MARTIN) -> str:
    return f"/espace/dossiers/{siren}/delegations/deleguer"


def recap_url(siren=MARTIN) -> str:
    return f"/espace/dossiers/{siren}/delegations/recapitulatif"


def revoke_url(pk, siren=MARTIN) -> str:
    return f"/espace/dossiers/{siren}/delegations/{pk}/revoquer"


def answer_url(pk, verb: str) -> str:
    return f"/espace/delegations/{pk}/{verb}"


def service_url(code="declarer_tva", siren=MARTIN) -> str:
    return f"/espace/dossiers/{siren}/services/{code}"


def titulaire(**fields):
    """M. MARTIN Paul, titulaire of declarer_tva and payer_tva on MARTIN."""
    fields = {"civility": "M", "last_name": "MARTIN", "first_name": "Paul", "login_email": "paul.martin@exemple.fr",
              "subscriber_number": NUMBER_A, **fields}
    space = SpaceFactory(**fields)
    builders.grant(space, MARTIN, "declarer_tva", name="SARL MARTIN DISTRIBUTION")
    builders.grant(space, MARTIN, "payer_tva")
    return space


def cabinet(**fields):
    """Mme LEFÈVRE Anne of a cabinet: the délégataire."""
    fields = {"civility": "MME", "last_name": "LEFÈVRE", "first_name": "Anne", "login_email": "anne.lefevre@cabinet.fr",
              "subscriber_number": NUMBER_B, **fields}
    return SpaceFactory(**fields)


def suppleant_of(holder, siren=MARTIN, **fields):
    """An active suppléant of holder on siren, built from rows (one suppleant row per titulaire service)."""
    fields = {"civility": "M", "last_name": "BERNARD", "first_name": "Luc", "login_email": "luc.bernard@exemple.fr",
              "subscriber_number": NUMBER_C, **fields}
    space = SpaceFactory(**fields)
    now = clock.now()
    titled = Habilitation.objects.filter(space=holder, dossier__siren=siren, role=Role.TITULAIRE, ended_at__isnull=True)
    designation = Suppleance.objects.create(
        dossier=titled.first().dossier, titulaire=holder, suppleant=space, created_at=now, changed_at=now
    )
    for row in titled:
        Habilitation.objects.create(
            space=space, dossier=row.dossier, service=row.service, role=Role.SUPPLEANT, granted_by=holder,
            started_at=now, suppleance=designation,
        )
    return space


def mails(space) -> list[tuple[str, str]]:
    """(subject, body) of every email queued for space's contact address."""
    return [(mail.subject, decrypt_body(mail)) for mail in OutboxEmail.objects.filter(to=space.contact_email).order_by("pk")]


def form_data(number=NUMBER_B, last_name="Lefevre", services=("declarer_tva",), ends_on="") -> dict:
    return {"subscriber_number": number, "last_name": last_name, "services": list(services), "ends_on": ends_on}


# The shared frame of J13's test modules: a clock set at NOW (autouse where imported), the
# grantor (a titulaire) and the delegate (a cabinet), a signed-in client.
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def grantor():
    return titulaire()


@pytest.fixture
def delegate_space():
    return cabinet()


def session(space) -> Client:
    client = Client()
    steps.enter(client, space)
    return client
