"""Hostile input on J9 "Adhérer aux services" (SPEC §4 "Bad input"): never a 500, nothing half-written.

The form (SIREN, statut, services, "Tout sélectionner" boxes) and the recap ("Valider") get
huge values, NUL bytes, lists where one value is expected, unknown services, garbage group
indexes and bodies that are not UTF-8. Whatever comes in, the answer is a page (302, 400,
409) and the database holds either nothing of the request or all of it (request, code,
letter), never a part.
"""

import pytest
from django.test import Client, TestCase
from hypothesis import example, given
from hypothesis import strategies as st

from catalogue.models import Service
from dossiers.models import Dossier
from habilitations.flows.adhesion import DRAFT_KEY
from habilitations.models import AdhesionRequest, Statut
from tests.accounts import journey
from tests.companies import DUPONT, MARTIN, SANS_SIEGE
from tests.factories import SpaceFactory
from tests.habilitations import requests_written as written
from tests.hostile import FUZZ, HOSTILE, MALFORMED_FORM_BODIES

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"
FORM = "/espace/services/adherer"
RECAP = "/espace/services/adherer/recapitulatif"
SENT = "/espace/services/adherer/courrier"

SIRENS = st.one_of(HOSTILE, st.sampled_from([MARTIN, DUPONT, SANS_SIEGE, "732 829 320", " 552081317 ", "404483117"]))
STATUTS = st.one_of(HOSTILE, st.sampled_from(list(Statut.values)))
SERVICE_VALUES = st.one_of(
    HOSTILE, st.sampled_from(["declarer_tva", "payer_tva", "messagerie", "inconnu", "declarer_tva\x00", "DECLARER_TVA"])
)
GROUP_INDEXES = st.one_of(HOSTILE, st.sampled_from(["0", "1", "4", "5", "-1", "99", "abc", "", " 0", "1e3", "0x1"]))


@pytest.fixture
def space(client):
    space = SpaceFactory(login_email=EMAIL)
    assert journey.login(client, EMAIL).status_code == 302
    return space


def nothing_written(spool):
    written.nothing_written(spool, "adhesion")
    assert not Dossier.objects.exists()


def all_or_nothing(spool):
    written.all_or_nothing(spool, "adhesion")


def draft_is_clean(client):
    """A draft kept for the recap holds only what the rules accept."""
    kept = client.session.get(DRAFT_KEY)
    if kept is None:
        return
    assert kept["siren"] in (MARTIN, DUPONT) and kept["statut"] in Statut.values
    assert kept["services"] and set(kept["services"]) <= set(Service.objects.values_list("code", flat=True))
    assert len(kept["services"]) == len(set(kept["services"]))


@FUZZ
@given(
    siren=st.one_of(SIRENS, st.lists(SIRENS, min_size=2, max_size=4)),
    statut=st.one_of(STATUTS, st.lists(STATUTS, min_size=2, max_size=4)),
    services=st.lists(SERVICE_VALUES, max_size=8),
    groups=st.lists(GROUP_INDEXES, max_size=6),
)
@example(siren="a" * 10000, statut="\x00", services=["\x00"], groups=["\x00"])
@example(siren=MARTIN, statut="representant_legal", services=[], groups=["-1", "99", "abc"])
@example(siren=MARTIN, statut="representant_legal", services=["inconnu"], groups=[])
@example(siren=MARTIN, statut="representant_legal", services=["declarer_tva"] * 500, groups=["1", "1"])
@example(siren=[MARTIN, "' OR 1=1 --"], statut=["representant_legal", "roi"], services=["payer_tva"], groups=[])
@example(siren="7328\x0029320", statut="personne_mandatee", services=["payer_tva"], groups=[])
def test_j9_form_never_fails_and_writes_nothing(client, space, spool, siren, statut, services, groups):
    response = client.post(FORM, {"siren": siren, "statut": statut, "services": services, "services__all": groups})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response.url == RECAP
        assert client.get(RECAP).status_code == 200
    draft_is_clean(client)
    nothing_written(spool)


@FUZZ
@given(extra=st.dictionaries(HOSTILE, st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)), max_size=4))
def test_j9_recap_ignores_what_is_posted_with_valider(client, space, spool, extra):
    """"Valider" posts no field: whatever comes with it, the draft alone is sent, whole, or nothing."""
    client.post(FORM, {"siren": MARTIN, "statut": "representant_legal", "services": ["declarer_tva"]})
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(RECAP, extra)
    assert response.status_code in (302, 400, 409)
    all_or_nothing(spool)
    assert AdhesionRequest.objects.count() <= 1  # the second time, the service is pending already: refused


@pytest.mark.parametrize("url", [FORM, RECAP, SENT])
@pytest.mark.parametrize(("body", "content_type"), MALFORMED_FORM_BODIES)
def test_j9_malformed_bodies(client, space, spool, url, body, content_type):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code < 500
    draft_is_clean(client)
    nothing_written(spool)


def test_j9_malformed_body_at_valider_with_a_draft_sends_the_draft_whole(client, space, spool):
    client.post(FORM, {"siren": MARTIN, "statut": "representant_legal", "services": ["declarer_tva"]})
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.generic("POST", RECAP, b"\xff\xfe\x00" * 1000, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (302, 400)
    all_or_nothing(spool)


def test_j9_too_many_fields_is_a_page_not_a_500(client, space, spool, settings):
    many = {f"f{index}": "x" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = Client(raise_request_exception=False)
    response.cookies = client.cookies
    answer = response.post(FORM, {"siren": MARTIN, **many})
    assert answer.status_code == 400
    nothing_written(spool)


def test_j9_hostile_query_string_on_the_pages(client, space, spool):
    for url in (FORM, RECAP, SENT):
        assert client.get(url + "?siren=%00&services=inconnu&services__all=-1&statut[]=x").status_code in (200, 302)
    nothing_written(spool)


def test_j9_a_huge_service_list_is_refused_by_the_field(client, space, spool):
    answer = client.post(FORM, {"siren": MARTIN, "statut": "representant_legal", "services": [f"s{n}" for n in range(900)]})
    assert answer.status_code == 400 and "Ce choix n&#x27;est pas possible" in answer.content.decode()
    nothing_written(spool)
