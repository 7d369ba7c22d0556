"""Typed refusals (issue 12 item 2): the audit log records why a code was refused, the person
reads one message whatever the reason (R-CODE-2), and no event ever holds the code."""

import html
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory

from accounts.models import AccessMode
from antirobot.testing import captcha_post_data
from codes import flows as activation
from codes.errors import CodeMalformed
from core import clock
from core.messages import message
from core.models import AuditEvent
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.factories import TRUST_ANSWER, SpaceFactory

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"
CABINET = "cabinet@exemple.fr"


def reasons(kind):
    return [event.detail.get("reason") for event in AuditEvent.objects.filter(kind=kind).order_by("id")]


def assert_no_code_in_audit(code):
    assert not [event for event in AuditEvent.objects.all() if code in str(event.detail) + event.email]


def refusal_text(response):
    return html.unescape(response.content.decode())


def test_r_code_2_j2_one_message_and_the_reason_in_the_audit_log(client):
    journey.register(client, EMAIL)
    code = journey.last_code(EMAIL)
    wrong = journey.activate(Client(), ("A" if code[0] != "A" else "B") + code[1:], EMAIL)
    with time_machine.travel(clock.now() + timedelta(hours=49), tick=False):
        expired = journey.activate(Client(), code, EMAIL)
    assert journey.activate(client, code, EMAIL).status_code == 302
    used = journey.activate(Client(), code, EMAIL)
    for response in (wrong, expired, used):
        assert response.status_code == 400 and message("code_refused") in refusal_text(response)
    assert reasons("codes.activation_failed") == ["wrong", "expired", "used"]
    assert_no_code_in_audit(code)


def test_r_code_2_j2_a_malformed_code_reaching_the_flow_is_audited_as_such(client):
    request = RequestFactory().post("/activation/identifiants")
    request.session, request.user = client.session, None
    with pytest.raises(CodeMalformed):
        activation.activate(request, code="court", email=EMAIL)
    assert reasons("codes.activation_failed") == ["malformed"]


def test_r_code_2_j5_a_used_code_is_refused_like_a_wrong_one_and_audited_as_used(client):
    space = SpaceFactory(login_email=EMAIL)
    page = client.get("/mot-de-passe-oublie")
    client.post("/mot-de-passe-oublie", {"email": EMAIL, **captcha_post_data(page)})
    mail = OutboxEmail.objects.filter(to=EMAIL).order_by("-id").first()
    code = journey.CODE_RE.search(decrypt_body(mail)).group(1)
    wrong = client.post("/mot-de-passe-oublie/code", {"email": EMAIL, "code": "A" * 12})
    assert client.post("/mot-de-passe-oublie/code", {"email": EMAIL, "code": code}).status_code == 200
    password = "Trois moineaux picorent le pain rassis 58"
    data = {"code": code, "answer": TRUST_ANSWER, "password": password, "password_confirm": password}
    assert client.post("/mot-de-passe-oublie/nouveau", data).status_code == 302
    used = Client().post("/mot-de-passe-oublie/code", {"email": EMAIL, "code": code})
    assert wrong.status_code == used.status_code == 400
    assert message("reset_code_refused") in refusal_text(wrong) and message("reset_code_refused") in refusal_text(used)
    assert reasons("accounts.reset_code_failed") == ["wrong", "used"]
    assert space.trust_question not in refusal_text(used)
    assert_no_code_in_audit(code)


def test_r_code_2_j8_outside_unknown_number_and_expired_code_audited_apart(client):
    space = SpaceFactory(access_mode=AccessMode.CERTIFICATE, login_email=None, contact_email=CABINET)
    page = client.get("/option-sans-certificat")
    client.post(
        "/option-sans-certificat",
        {"subscriber_number": space.subscriber_number, "email": CABINET, **captcha_post_data(page)},
    )
    code = journey.CODE_RE.search(decrypt_body(OutboxEmail.objects.get(to=CABINET))).group(1)
    unknown = client.post("/option-sans-certificat/code", {"subscriber_number": "20260540999999", "code": code})
    with time_machine.travel(clock.now() + timedelta(minutes=61), tick=False):
        late = client.post("/option-sans-certificat/code", {"subscriber_number": space.subscriber_number, "code": code})
    for response in (unknown, late):
        assert response.status_code == 400 and message("option_code_refused") in refusal_text(response)
    refused = [event.detail for event in AuditEvent.objects.filter(kind="accounts.option_recovery_refused").order_by("id")]
    assert [detail["reason"] for detail in refused] == ["wrong", "expired"]
    assert_no_code_in_audit(code)

