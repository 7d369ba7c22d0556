"""J8 outside the space: the code sent to the email on file works once (issue 12 item 6).

The space stays a certificate space between the two tries, so only the consumption of the
code can refuse the second: a check that forgot to consume it would start a second wizard.
"""

import pytest
from django.test import Client

from accounts.kinds import Kind
from accounts.models import AccessMode
from antirobot.testing import captcha_post_data
from codes.models import PendingRequest
from core.models import AuditEvent
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db
CABINET = "cabinet@exemple.fr"


def test_r_code_1_j8_outside_code_works_once(client):
    space = SpaceFactory(access_mode=AccessMode.CERTIFICATE, login_email=None, contact_email=CABINET)
    page = client.get("/option-sans-certificat")
    data = {"subscriber_number": space.subscriber_number, "email": CABINET, **captcha_post_data(page)}
    assert client.post("/option-sans-certificat", data).status_code == 302
    code = journey.CODE_RE.search(decrypt_body(OutboxEmail.objects.get(to=CABINET))).group(1)
    check = {"subscriber_number": space.subscriber_number, "code": code}

    first = client.post("/option-sans-certificat/code", check)
    assert first.status_code == 302 and first.url == "/option-sans-certificat/identifiants"
    pending = PendingRequest.objects.get(kind=Kind.OPTION_RECOVERY)
    assert pending.used_at is not None and pending.payload == {}

    other_browser = Client()
    second = other_browser.post("/option-sans-certificat/code", check)
    assert second.status_code == 400
    assert other_browser.get("/option-sans-certificat/identifiants").url == "/option-sans-certificat?reprise=1"
    space.refresh_from_db()
    assert space.access_mode == AccessMode.CERTIFICATE  # nothing else could refuse the second try
    assert AuditEvent.objects.filter(kind="accounts.option_recovery_refused", detail__reason="used").count() == 1
    assert AuditEvent.objects.filter(kind="accounts.option_recovery_ok").count() == 1
