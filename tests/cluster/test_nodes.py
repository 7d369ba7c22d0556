"""Issue 18 §2: two nodes of one cluster are one service.

Sessions (Redis), the throttle (Redis), captchas (signed with the shared SECRET_KEY, their use
recorded in PostgreSQL) and codes (PostgreSQL) are shared: what one node starts, the other
continues; what one node counts, the other sees; what one node consumes, the other refuses.
"""

import html
import threading

import pytest
from django.test import Client

from accounts.events import Kind as Event
from accounts.models import Space
from codes.models import PendingRequest
from core.models import AuditEvent
from habilitations.models import AdhesionRequest, Habilitation, Role
from tests.accounts import journey
from tests.cluster.conftest import start_one_by_one
from tests.companies import MARTIN
from tests.factories import STRONG_PASSWORD, SpaceFactory
from tests.habilitations import builders

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRONG = "Pas le bon mot de passe 1234"


def test_a_login_on_node_a_is_continued_on_node_b(cluster, browser):
    space = SpaceFactory()
    person = browser()
    response = person.log_in(space.login_email, STRONG_PASSWORD, node=0)
    assert response.status_code == 302 and response.headers["location"] == "/espace", response.text[:500]
    home = person.get("/espace", node=1)
    assert home.status_code == 200 and space.subscriber_number in home.text
    event = AuditEvent.objects.get(kind=Event.LOGIN_OK)
    assert event.space == space and event.ip == "192.0.2.10"  # the client, as the proxies forward it
    # Logging out on node B ends the session node A knew.
    page = person.get("/espace", node=1)
    assert person.post("/deconnexion", person.form(page), node=1).status_code == 302
    assert person.get("/espace", node=0).status_code == 302


def test_r_throttle_1_wrong_passwords_on_both_nodes_count_toward_one_delay(cluster, browser):
    space = SpaceFactory()
    for attempt in range(5):  # the free failures, alternately on each node, each from its own address
        refused = browser(f"198.51.100.{attempt + 1}").log_in(space.login_email, WRONG, node=attempt % 2)
        assert refused.status_code == 400 and "est incorrect" in refused.text
    for node in (0, 1):  # the right password now waits, on either node, from a new address too
        late = browser(f"203.0.113.{node + 1}").log_in(space.login_email, STRONG_PASSWORD, node=node)
        assert late.status_code == 400 and "Trop de tentatives : réessayez dans" in late.text
    assert AuditEvent.objects.filter(kind=Event.LOGIN_FAILED).count() == 5
    assert AuditEvent.objects.filter(kind=Event.LOGIN_THROTTLED).count() == 2
    assert not AuditEvent.objects.filter(kind=Event.LOGIN_OK).exists()


def test_r_captcha_1_a_captcha_drawn_by_one_node_is_checked_by_the_other_once(cluster, browser):
    space = SpaceFactory()
    person = browser()
    page = person.get("/", node=0)
    form = person.form(page, captcha=True, email=space.login_email, password=STRONG_PASSWORD)
    wrong = {**form, "captcha": "ZZZZZZ" if form["captcha"] != "ZZZZZZ" else "YYYYYY"}
    refused = person.post("/", wrong, node=1)  # a wrong answer, checked on node B
    assert refused.status_code == 400 and "ne correspondent pas à l'image" in html.unescape(refused.text)
    page = person.get("/", node=0)
    form = person.form(page, captcha=True, email=space.login_email, password=STRONG_PASSWORD)
    thief = browser("192.0.2.66")
    thief.cookies = dict(person.cookies)  # the browser as it was before posting: binding, CSRF
    assert person.post("/", form, node=1).status_code == 302  # drawn on A, right answer on B
    replay = thief.post("/", form, node=0)  # the very same post, replayed on node A
    assert replay.status_code == 400 and "ne correspondent pas à l'image" in html.unescape(replay.text)
    assert AuditEvent.objects.filter(kind=Event.LOGIN_OK).count() == 1


def past_the_captcha(person, code: str, node: int):
    page = person.get("/activation", node=node)
    first = person.post("/activation", person.form(page, captcha=True, code=code), node=node)
    assert first.status_code == 200 and "activation/identifiants" in first.text, first.text[:300]
    return first


def at_once(people, code: str, email: str) -> list[int]:
    """Each person submits J2's second step at the same instant, on node index % 2."""
    start, statuses = threading.Barrier(len(people)), [None] * len(people)
    pages = [past_the_captcha(person, code, index % 2) for index, person in enumerate(people)]

    def submit(index):
        data = people[index].form(pages[index], code=code, email=email, action="continue")
        start.wait(60)
        statuses[index] = people[index].post("/activation/identifiants", data, node=index % 2).status_code

    threads = start_one_by_one([lambda index=index: submit(index) for index in range(len(people))])
    for thread in threads:
        thread.join(60)
    return statuses


def test_r_code_1_an_emailed_code_sent_at_once_to_both_nodes_opens_one_space(cluster, browser):
    email = "grappe.courriel@exemple.fr"
    journey.register(Client(), email)  # J1 up to the emailed activation code
    code = journey.last_code(email)
    statuses = at_once([browser(f"192.0.2.{20 + n}") for n in range(6)], code, email)
    assert sorted(statuses) == [302] + [400] * 5, statuses
    assert Space.objects.filter(login_email=email).count() == 1
    assert PendingRequest.objects.get().used_at is not None
    assert AuditEvent.objects.filter(kind="codes.activation_ok").count() == 1


def test_r_code_1_a_posted_code_sent_at_once_to_both_nodes_activates_once(cluster, browser, companies, spool):
    space = SpaceFactory(login_email="grappe.courrier@exemple.fr")
    asked, code = builders.request_with_code(space, MARTIN, spool, ["declarer_tva", "payer_tva"])
    statuses = at_once([browser(f"192.0.2.{40 + n}") for n in range(6)], code, space.login_email)
    assert sorted(statuses) == [302] + [400] * 5, statuses
    live = Habilitation.objects.filter(dossier__siren=MARTIN, role=Role.TITULAIRE, ended_at__isnull=True)
    assert sorted(live.values_list("service__code", flat=True)) == ["declarer_tva", "payer_tva"]
    assert set(live.values_list("space_id", flat=True)) == {space.pk}
    asked.refresh_from_db()
    assert asked.state == AdhesionRequest.State.ACTIVATED
    assert AuditEvent.objects.filter(kind="habilitations.adhesion_activated").count() == 1
