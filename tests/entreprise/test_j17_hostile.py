"""Hostile input on J17 (SPEC §4 "Bad input"): never a 500, nothing half-written.

The form gets huge values, NUL bytes, lists where one value is expected and bodies that are
not UTF-8; the path gets SIRENs nobody holds. Whatever comes in, the answer is a page (302,
400, 404, 429) and the database holds either the whole request (its code, its email, its
audit event) or nothing of it; the dossier's address never changes before a code.
"""

import pytest
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from codes.models import PendingRequest
from core.models import AuditEvent
from dossiers.models import Dossier
from entreprise.kinds import Kind
from mailer.models import OutboxEmail
from tests.companies import MARTIN
from tests.entreprise import steps
from tests.entreprise.steps import CODE_SUBJECT, FORM, NEW
from tests.factories import SpaceFactory
from tests.habilitations.holdings import sign_in
from tests.hostile import EMAILS, FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
REQUESTED = "entreprise.company_email_requested"


@pytest.fixture
def space(client):
    space = SpaceFactory()
    steps.titulaire(space)
    sign_in(client, space)
    return space


def whole_or_nothing():
    """At most one live request (the last replaces the earlier), one code email and one audit row each."""
    requests = PendingRequest.objects.filter(kind=Kind.DOSSIER_EMAIL)
    assert requests.count() <= 1
    sent = OutboxEmail.objects.filter(subject=CODE_SUBJECT).count()
    assert AuditEvent.objects.filter(kind=REQUESTED).count() == sent
    assert requests.count() == min(sent, 1)
    for pending in requests:
        assert len(pending.payload["company_email"]) <= 100 and "\x00" not in pending.payload["company_email"]
    assert Dossier.objects.get(siren=MARTIN).company_email == ""


def forget():
    PendingRequest.objects.all().delete()
    OutboxEmail.objects.all().delete()
    AuditEvent.objects.filter(kind=REQUESTED).delete()


@FUZZ
@given(
    email=st.one_of(EMAILS, st.lists(EMAILS, min_size=2, max_size=3)),
    confirm=st.one_of(EMAILS, st.lists(EMAILS, min_size=2, max_size=3)),
    same=st.booleans(),
)
@example(email="a" * 10000, confirm="a" * 10000, same=True)
@example(email="x@y.fr\x00", confirm="x@y.fr\x00", same=True)
@example(email=[NEW, "' OR 1=1 --"], confirm=NEW, same=False)
@example(email="\u202e@exemple.fr", confirm="\u202e@exemple.fr", same=True)
def test_j17_form_never_fails_and_writes_whole_or_nothing(client, space, email, confirm, same):
    forget()
    response = client.post(FORM, {"email": email, "email_confirm": email if same else confirm})
    assert response.status_code in (302, 400, 429)
    whole_or_nothing()


@FUZZ
@given(siren=HOSTILE)
@example(siren="../../etc/passwd")
@example(siren="732829320\x00")
def test_j17_hostile_sirens_in_the_path_are_404(space, siren):
    client = Client(raise_request_exception=False)
    sign_in(client, space)
    for url in (f"/espace/dossiers/{siren}/adresse-entreprise", f"/espace/dossiers/{siren}/adresse-entreprise/envoyee"):
        try:
            response = client.get(url)
        except ValueError:  # the test client refuses to build some URLs (a NUL): no request left
            continue
        assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"email=\xff\xfe\x00&email_confirm=\xff\xfe\x00", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        ("email=\xe9@exemple.fr&email_confirm=\xe9@exemple.fr".encode("latin-1"), "application/x-www-form-urlencoded"),
        (b'--x\r\nContent-Disposition: form-data; name="email"\r\n\r\ntrunc', "multipart/form-data; boundary=x"),
        (b'{"email": "contact@martin-distribution.fr"}', "application/json"),
        (b"email=x@y.fr&" * 1200, "application/x-www-form-urlencoded"),
    ],
)
def test_j17_malformed_bodies(client, space, body, content_type):
    response = client.generic("POST", FORM, body, content_type=content_type)
    assert response.status_code < 500
    whole_or_nothing()


def test_j17_too_many_fields_is_a_page_not_a_500(space, settings):
    client = Client(raise_request_exception=False)
    sign_in(client, space)
    many = {f"f{index}": "x" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert client.post(FORM, many).status_code == 400
    whole_or_nothing()
