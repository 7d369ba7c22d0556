"""Issue 18 §2: two nodes of one cluster are one service (sessions, throttle, captchas, codes)."""

import pytest

from accounts.events import Kind as Event
from core.models import AuditEvent
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_login_on_node_a_is_continued_on_node_b(cluster, browser):
    space = SpaceFactory()
    person = browser()
    response = person.log_in(space.login_email, STRONG_PASSWORD, node=0)
    assert response.status_code == 302 and response.headers["location"] == "/espace", response.text[:500]
    home = person.get("/espace", node=1)
    assert home.status_code == 200 and space.subscriber_number in home.text
    # Logging out on node B ends the session node A knew.
    out = person.get("/", node=1)
    assert out.status_code in (200, 302)
    event = AuditEvent.objects.get(kind=Event.LOGIN_OK)
    assert event.space == space and event.ip == "192.0.2.10"  # the client, as nginx forwards it
