"""J5 on the code process: the proven request and its space, checked again at the answer."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from accounts.flows import recovery
from accounts.models import AccessMode, Space
from antirobot.testing import captcha_post_data
from codes.errors import CodeVoid
from codes.models import PendingRequest
from core.models import AuditEvent
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.factories import TRUST_ANSWER, SpaceFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Trois moineaux picorent le pain rassis 58"


def proven_code(client, space):
    page = client.get("/mot-de-passe-oublie")
    client.post("/mot-de-passe-oublie", {"email": space.login_email, **captcha_post_data(page)})
    code = journey.CODE_RE.search(decrypt_body(OutboxEmail.objects.order_by("-id").first())).group(1)
    assert client.post("/mot-de-passe-oublie/code", {"email": space.login_email, "code": code}).status_code == 200
    return code


def test_j5_a_proof_of_a_space_that_closed_meanwhile_shows_nothing(client):
    space = SpaceFactory()
    proven_code(client, space)
    assert recovery.proven(client.session).space == space
    Space.objects.filter(pk=space.pk).update(is_active=False)
    assert recovery.proven(client.session) is None
    assert client.get("/mot-de-passe-oublie/nouveau").url == "/mot-de-passe-oublie/code"


def test_j5_a_space_that_left_password_access_voids_the_code_at_the_answer(client):
    """The answer page was shown, then the space changed: the code no longer applies (CodeVoid)."""
    space = SpaceFactory()
    code = proven_code(client, space)
    Space.objects.filter(pk=space.pk).update(access_mode=AccessMode.CERTIFICATE)
    request = RequestFactory().post("/mot-de-passe-oublie/nouveau")
    request.session = SessionStore(client.session.session_key)
    with pytest.raises(CodeVoid):
        recovery.reset(request, email=space.login_email, code=code, answer=TRUST_ANSWER, password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(kind="accounts.reset_code_failed", detail__reason="void").count() == 1
    assert PendingRequest.objects.get().used_at is None and recovery.STEP_KEY not in request.session
