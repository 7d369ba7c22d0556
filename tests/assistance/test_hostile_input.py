"""Hostile input on every form of the assistance console (SPEC §4 "Bad input", R-AST-1):
never a 500, nothing changed by a refused form."""

import itertools
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from assistance.events import Kind as Event
from assistance.models import Agent
from core.models import AuditEvent, ThrottleCounter
from tests.assistance.console import AGENT_EMAIL, AGENT_PASSWORD, agent_client, create_agent
from tests.factories import SpaceFactory
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
OK = (200, 302, 400)


@pytest.fixture
def agent(now_fixed):
    client = Client()
    agent_client(client, now_fixed)
    return client


@pytest.fixture
def now_fixed(time_machine):
    from core import clock

    time_machine.move_to(clock.now().replace(microsecond=0), tick=False)
    return time_machine


@FUZZ
@given(email=HOSTILE, password=HOSTILE)
def test_login_never_fails(agent, email, password):
    response = Client().post("/assistance/connexion", {"email": email, "password": password})
    assert response.status_code in OK


@FUZZ
@given(code=HOSTILE)
def test_second_factor_never_fails(agent, code):
    client = Client()
    client.post("/assistance/connexion", {"email": AGENT_EMAIL, "password": AGENT_PASSWORD})
    response = client.post("/assistance/connexion/code", {"code": code})
    assert response.status_code in (302, 400)


VISITORS = (f"2001:db8:{index:x}::1" for index in itertools.count(1))  # one /64 each


@FUZZ
@given(password=HOSTILE, confirm=HOSTILE, token=HOSTILE)
def test_enrolment_never_fails(now_fixed, password, confirm, token):
    Agent.objects.all().delete()
    ThrottleCounter.objects.all().delete()
    link = create_agent()
    client = Client(REMOTE_ADDR=next(VISITORS))  # each example is a new visitor of the links, whatever the store
    assert client.post(f"/assistance/enrolement/{link}", {"password": password, "password_confirm": confirm}).status_code in (302, 400)
    assert client.get("/assistance/enrolement/x", {"t": token}).status_code == 404
    totp = client.post("/assistance/second-facteur", {"code": password})
    assert totp.status_code in (302, 400)


@FUZZ
@given(query=HOSTILE, kind=HOSTILE, start=HOSTILE, end=HOSTILE, page=HOSTILE)
def test_search_and_history_filters_never_fail(agent, query, kind, start, end, page):
    if not hasattr(agent, "_space"):
        agent._space = SpaceFactory()
    assert agent.get("/assistance/", {"q": query}).status_code in (200, 400)
    response = agent.get(
        f"/assistance/espaces/{agent._space.subscriber_number}/historique",
        {"kind": kind, "start": start, "end": end, "page": page},
    )
    assert response.status_code in (200, 400)
    assert agent.get("/assistance/historique", {"page": page}).status_code == 200


@FUZZ
@given(reason=HOSTILE, number=HOSTILE, action=st.one_of(HOSTILE, st.just("lever-delai")))
def test_action_reason_never_fails(agent, reason, number, action):
    if not hasattr(agent, "_space"):
        agent._space = SpaceFactory()
    before = AuditEvent.objects.filter(kind=Event.DELAY_LIFTED).count()
    response = agent.post(f"/assistance/espaces/{agent._space.subscriber_number}/actions/lever-delai", {"reason": reason})
    assert response.status_code in (302, 400)
    written = AuditEvent.objects.filter(kind=Event.DELAY_LIFTED).count() - before
    assert written == (1 if response.status_code == 302 else 0)
    other = agent.post(f"/assistance/espaces/{quote(number, safe='')}/actions/{quote(action, safe='')}", {"reason": reason})
    assert other.status_code in (302, 400, 404)
