"""Hostile input on J12's forms (SPEC §4 "Bad input"): the designation's look-up and confirmation,
the actions' ids. Never a 500; a designation is whole (its rows, both audit rows, its email) or
absent; nothing is written for another space's or a malformed id."""

import pytest
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from core.models import AuditEvent
from habilitations.models import Habilitation, Suppleance
from mailer.models import OutboxEmail
from tests.companies import MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations import holdings as steps
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
DESIGNATE = f"/espace/dossiers/{MARTIN}/suppleants/designer"
TARGET_NUMBER = "20261230000001"

NUMBERS = st.one_of(HOSTILE, st.sampled_from([TARGET_NUMBER, "2026 1230 0000 01", "20261230000001\x00", "٢٠٢٦١٢٣٠٠٠٠٠٠١", "1" * 14]))
NAMES = st.one_of(HOSTILE, st.sampled_from(["DURAND", "durand", "Durand\x00", "D" * 61, ""]))
CONFIRMS = st.one_of(HOSTILE, st.sampled_from(["oui", "OUI", "non", ""]))


@pytest.fixture
def titulaire(client):
    space = SpaceFactory()
    steps.hold(space, steps.martin(), ["declarer_tva", "payer_tva"])
    steps.sign_in(client, space)
    return space


@pytest.fixture
def target():
    return SpaceFactory(subscriber_number=TARGET_NUMBER, last_name="DURAND")


def whole_or_nothing(target):
    designations = Suppleance.objects.count()
    assert designations <= 1
    assert Habilitation.objects.filter(space=target).count() == 2 * designations
    assert AuditEvent.objects.filter(kind="habilitations.suppleant_designated").count() == 2 * designations
    assert OutboxEmail.objects.filter(to=target.contact_email).count() == designations


@FUZZ
@given(number=st.one_of(NUMBERS, st.lists(NUMBERS, min_size=2, max_size=3)), last_name=st.one_of(NAMES, st.lists(NAMES, min_size=2, max_size=3)),
       confirm=st.one_of(st.none(), CONFIRMS))
@example(number=TARGET_NUMBER, last_name="DURAND", confirm=None)
@example(number=TARGET_NUMBER, last_name="DURAND", confirm="oui")
@example(number="a" * 10000, last_name="\x00", confirm="\x00")
@example(number=[TARGET_NUMBER, "' OR 1=1 --"], last_name=["DURAND", "x"], confirm=None)
def test_j12_designate_never_fails_and_is_whole_or_nothing(client, titulaire, target, number, last_name, confirm):
    data = {"subscriber_number": number, "last_name": last_name}
    if confirm is not None:
        data["confirm"] = confirm
    response = client.post(DESIGNATE, data)
    assert response.status_code in (200, 302, 400, 409, 429)
    if response.status_code == 200:  # found: the confirmation names the person, then "Confirmer"
        assert "DURAND" in response.content.decode()
        assert client.post(DESIGNATE, {"confirm": "oui"}).status_code in (302, 409)
    whole_or_nothing(target)


@FUZZ
@given(extra=st.dictionaries(HOSTILE, st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)), max_size=4))
def test_j12_confirm_ignores_what_is_posted_with_it(client, titulaire, target, extra):
    """"Confirmer" designates the space found, never one named by the posted fields."""
    client.post(DESIGNATE, {"subscriber_number": TARGET_NUMBER, "last_name": "DURAND"})
    response = client.post(DESIGNATE, {**extra, "confirm": "oui", "space": str(titulaire.pk)})
    assert response.status_code in (302, 400, 409)  # 400: a body Django refuses (a field name past its header size)
    whole_or_nothing(target)
    assert set(Suppleance.objects.values_list("suppleant", flat=True)) <= {target.pk}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"subscriber_number=\xff\xfe\x00&last_name=DURAND", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b'--x\r\nContent-Disposition: form-data; name="last_name"\r\n\r\ntrunc', "multipart/form-data; boundary=x"),
        (b'{"subscriber_number": "20261230000001", "last_name": "DURAND"}', "application/json"),
        (b"confirm=oui&" * 1200, "application/x-www-form-urlencoded"),
    ],
)
def test_j12_malformed_bodies(client, titulaire, target, body, content_type):
    response = client.generic("POST", DESIGNATE, body, content_type=content_type)
    assert response.status_code < 500
    whole_or_nothing(target)


def test_j12_too_many_fields_is_a_page_not_a_500(client, titulaire, target, settings):
    browser = Client(raise_request_exception=False)
    browser.cookies = client.cookies
    many = {f"f{index}": "x" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert browser.post(DESIGNATE, {"subscriber_number": TARGET_NUMBER, **many}).status_code == 400
    whole_or_nothing(target)


@pytest.mark.parametrize("pk", ["0", "-1", "abc", "99999999999999999999", "%00", "1.0"])
@pytest.mark.parametrize("action", ["veille", "reactiver", "supprimer"])
def test_j12_action_ids_that_are_not_one_are_not_found(client, titulaire, target, pk, action):
    made = builders.suppleance(titulaire, MARTIN, target)
    answer = client.post(f"/espace/dossiers/{MARTIN}/suppleants/{pk}/{action}")
    assert answer.status_code == 404
    assert Suppleance.objects.get() == made and made.state == Suppleance.objects.get().state == "active"


def test_j12_hostile_query_strings(client, titulaire, target):
    made = builders.suppleance(titulaire, MARTIN, target)
    for url in ("/espace/partage/suppleants", DESIGNATE, f"/espace/dossiers/{MARTIN}/suppleants/{made.pk}/supprimer"):
        assert client.get(url + "?page=%00&page=-1&pk=1&confirm=oui").status_code == 200
    assert Suppleance.objects.get().state == "active"
