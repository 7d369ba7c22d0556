"""The audit log's rows (SPEC §4): time, address, user agent made printable, detail; no space
for an event without one. Written by a prepared INSERT (core.prepared.insert): every field
prepared as Model.save() prepares it."""

import pytest

from core import audit, clock
from core.models import AuditEvent
from tests.factories import SpaceFactory
from accounts.events import Kind as Event

pytestmark = pytest.mark.django_db


def test_an_audit_event_keeps_the_address_a_printable_user_agent_and_the_detail(rf):
    space = SpaceFactory()
    request = rf.post("/", HTTP_USER_AGENT="Navigateur\x00 ü", REMOTE_ADDR="2001:db8::1")
    audit.record(request, Event.LOGIN_OK, space=space, email=space.login_email, method="password", n=[1, "é"])
    audit.record(None, Event.LOGOUT)
    first, second = AuditEvent.objects.order_by("id")
    assert (first.kind, first.space, first.email, first.ip) == ("accounts.login_ok", space, space.login_email, "2001:db8::1")
    assert first.user_agent == "Navigateur ü" and first.detail == {"method": "password", "n": [1, "é"]}
    assert abs((first.at - clock.now()).total_seconds()) < 5 and first.at.tzinfo is not None
    assert (second.kind, second.space, second.ip, second.detail) == ("accounts.logout", None, None, {})
