"""R-AST-1: the console's parts on their own — secrets, agents' checks, selectors' rows."""

from datetime import timedelta

import pytest

from assistance import secrets, selectors
from assistance.models import Agent, AgentSession, RecoveryCode
from assistance.services import agents
from codes.letters import queue
from core import clock
from habilitations.models import Role
from tests.factories import SpaceFactory
from tests.habilitations import builders

pytestmark = pytest.mark.django_db


def test_recovery_codes_read_alike_characters_and_refuse_others():
    assert secrets.normal_recovery_code(" abcde-fghjk ") == "ABCDE-FGHJK"
    assert secrets.normal_recovery_code("i0lo1 23456") == "10101-23456"
    assert secrets.normal_recovery_code("ABCDE-FGHJU") is None  # U is not in the alphabet
    assert secrets.normal_recovery_code("short") is None


def test_totp_step_refuses_what_is_not_six_digits():
    secret = secrets.new_totp_secret()
    for code in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦"):
        assert secrets.totp_step(secret, code, clock.now()) is None


def test_an_agent_without_totp_or_not_enrolled_passes_no_second_factor():
    agent = Agent.objects.create(email="a@exemple.fr", name="A", created_at=clock.now())
    assert agents.confirm_enrolment(agent=agent, code="123456", now=clock.now()) is None
    assert agents.second_factor(agent=agent, code="123456", now=clock.now()) is None
    assert str(agent) == "a@exemple.fr"
    session = AgentSession.objects.create(
        agent=agent, digest="d", stage=AgentSession.Stage.OPEN, created_at=clock.now(), seen_at=clock.now()
    )
    assert str(session) == f"{agent.pk} open"
    assert not RecoveryCode.objects.exists()


def test_pending_request_of_an_unknown_kind_reads_neutrally():
    assert selectors._kind_label("disparu") == "Autre demande"


def test_habilitation_states_in_words(companies, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    space = SpaceFactory()
    today = clock.paris_today()
    builders.grant(space, companies.MARTIN, "declarer_tva", name="SARL MARTIN")
    builders.grant(space, companies.MARTIN, "payer_tva", role=Role.SUPPLEANT, on_hold=True)
    builders.grant(space, companies.DUPONT, "payer_cfe", role=Role.DELEGATAIRE, ends_on=today + timedelta(days=3))
    builders.grant(space, companies.DUPONT, "declarer_is", role=Role.DELEGATAIRE, ends_on=today - timedelta(days=1))
    builders.grant(space, companies.DUPONT, "declarer_tva", ended_at=clock.now() - timedelta(days=2))
    [table] = [table for table in selectors.space_state(space).tables if table.title == "Habilitations"]
    states = sorted(row.cells[3].split(" le ")[0].split(" jusqu")[0] for row in table.rows)
    assert states == ["Active", "Active", "En veille", "Terminée", "Échue"]


def test_letters_of_another_address_or_time_are_not_a_requests(companies, spool, time_machine):
    time_machine.move_to(clock.now(), tick=False)
    space = SpaceFactory()
    asked = builders.request(space, companies.DUPONT)
    queue(address=["SOMEONE ELSE", "1 RUE AILLEURS", "75001 PARIS"], template="codes/letters/activation.html", context={})
    time_machine.shift(selectors.LETTER_WINDOW * 2)
    queue(address=asked.address, template="codes/letters/activation.html", context={})
    [table] = [table for table in selectors.space_state(space).tables if table.title == "Courriers"]
    assert len(table.rows) == 1


def test_logout_without_a_session_goes_to_the_login(client):
    response = client.post("/assistance/deconnexion")
    assert response.status_code == 302 and response.url == "/assistance/connexion"
