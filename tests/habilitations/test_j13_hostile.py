"""Hostile input on J13's forms (SPEC §4 "Bad input"): "Déléguer" (services, "Tout
sélectionner" boxes, subscriber number, last name, end date) and "Valider", the confirmation
buttons of "Révoquer" / "Renoncer", bodies that are not UTF-8. Never a 500; the database holds
either nothing of an offer or all of it (the delegation, its services, both audit rows, the
email), never a part."""

import pytest
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from core.models import AuditEvent
from habilitations.events import Kind as Event
from habilitations.flows.delegations import DRAFT_KEY
from habilitations.models import Delegation, Habilitation
from mailer.models import OutboxEmail
from tests.companies import MARTIN
from tests.habilitations import builders, steps
from tests.habilitations.delegating import (
    NUMBER_B, answer_url, cabinet, new_url, recap_url, revoke_url, titulaire,
)
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db

SERVICE_VALUES = st.one_of(HOSTILE, st.sampled_from(["declarer_tva", "payer_tva", "consulter_compte_fiscal", "inconnu", "declarer_tva\x00"]))
NUMBERS = st.one_of(HOSTILE, st.sampled_from([NUMBER_B, "2026 0540 0002 02", "20260540000101", "99999999999999"]))
NAMES = st.one_of(HOSTILE, st.sampled_from(["Lefèvre", "LEFEVRE", "lefevre ", "Martin"]))
DATES = st.one_of(HOSTILE, st.sampled_from(["", "2027-03-31", "31/03/2027", "2026-12-02", "0001-01-01", "9999-12-31", "2027-02-30"]))
GROUPS = st.one_of(HOSTILE, st.sampled_from(["0", "1", "-1", "99", "abc"]))


@pytest.fixture
def spaces():
    return titulaire(), cabinet()


@pytest.fixture
def client(spaces):
    client = Client()
    steps.enter(client, spaces[0])
    return client


def whole_or_nothing():
    """Each delegation has its services, its two audit rows and its email; nothing else was written."""
    count = Delegation.objects.count()
    assert Delegation.objects.filter(services__isnull=True).count() == 0
    assert AuditEvent.objects.filter(kind=Event.DELEGATION_OFFERED).count() == 2 * count
    assert OutboxEmail.objects.filter(subject="Espace professionnel - Une délégation vous est proposée").count() == count
    assert not Habilitation.objects.filter(role="delegataire").exists()


def draft_is_clean(client):
    kept = client.session.get(DRAFT_KEY)
    if kept is None:
        return
    assert kept["siren"] == MARTIN and kept["services"]
    assert set(kept["services"]) <= {"declarer_tva", "payer_tva"}


@FUZZ
@given(
    services=st.lists(SERVICE_VALUES, max_size=6),
    groups=st.lists(GROUPS, max_size=4),
    number=st.one_of(NUMBERS, st.lists(NUMBERS, min_size=2, max_size=3)),
    last_name=NAMES,
    ends_on=st.one_of(DATES, st.lists(DATES, min_size=2, max_size=3)),
)
@example(services=["\x00"], groups=["\x00"], number="a" * 10000, last_name="\x00", ends_on="\x00")
@example(services=["declarer_tva"] * 300, groups=["0", "0"], number=NUMBER_B, last_name="Lefèvre", ends_on="9999-12-31")
@example(services=["declarer_tva"], groups=[], number=NUMBER_B, last_name="Lefèvre", ends_on="0001-01-01")
def test_j13_form_never_fails_and_writes_nothing(client, spaces, services, groups, number, last_name, ends_on):
    data = {"services": services, "services__all": groups, "subscriber_number": number, "last_name": last_name, "ends_on": ends_on}
    response = client.post(new_url(), data)
    assert response.status_code in (302, 400, 429)
    if response.status_code == 302:
        assert response.url == recap_url()
        assert client.get(recap_url()).status_code == 200
    draft_is_clean(client)
    assert not Delegation.objects.exists() and not OutboxEmail.objects.exists()


@FUZZ
@given(extra=st.dictionaries(HOSTILE, st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)), max_size=4))
def test_j13_valider_ignores_what_is_posted_with_it(client, spaces, extra):
    client.post(new_url(), {"services": ["declarer_tva"], "subscriber_number": NUMBER_B, "last_name": "Lefevre"})
    response = client.post(recap_url(), extra)
    assert response.status_code in (302, 400, 409)
    whole_or_nothing()


@FUZZ
@given(confirm=st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)))
def test_j13_confirmation_buttons_take_only_oui(spaces, confirm):
    grantor, delegate_space = spaces
    accepted = builders.accepted_delegation(grantor, delegate_space, MARTIN) if not Delegation.objects.exists() else Delegation.objects.get()
    mine, theirs = Client(), Client()
    steps.enter(mine, grantor)
    steps.enter(theirs, delegate_space)
    assert mine.post(revoke_url(accepted.pk), {"confirm": confirm}).status_code in (200, 302)
    assert theirs.post(answer_url(accepted.pk, "renoncer"), {"confirm": confirm}).status_code in (200, 302)
    accepted.refresh_from_db()
    if confirm != "oui" and not (isinstance(confirm, list) and confirm and confirm[-1] == "oui"):
        assert accepted.state == Delegation.State.ACCEPTED


@pytest.mark.parametrize(
    "body",
    [
        b"services=\xff\xfe\x00&subscriber_number=20260540000202&last_name=Lefevre",
        b"\xff\xfe\x00garbage",
        b"services=declarer_tva&" * 1200 + b"subscriber_number=20260540000202&last_name=Lefevre",
        "services=declarer_tva&subscriber_number=20260540000202&last_name=Lef\xe8vre&ends_on=31/12/2027".encode("latin-1"),
    ],
)
@pytest.mark.parametrize("url", [new_url(), recap_url()])
def test_j13_malformed_bodies(client, spaces, url, body):
    response = client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    whole_or_nothing()


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "-1", "abc", "1%00"])
def test_j13_ids_that_are_no_delegation(client, spaces, pk):
    for url in (revoke_url(pk), answer_url(pk, "accepter"), answer_url(pk, "refuser"), answer_url(pk, "renoncer")):
        assert client.post(url, {"confirm": "oui"}).status_code == 404
