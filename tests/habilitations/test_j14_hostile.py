"""Hostile input on J14 "Remplacer le titulaire (substitution)" (SPEC §4 "Bad input"): never a
500, nothing half-written.

The form's two parts (SIREN + statut; then the services with the SIREN they were shown for)
and the recap get huge values, NUL bytes, lists where one value is expected, services of
the catalogue the page did not offer, garbage "shown" values and bodies that are not UTF-8.
The answer is a page (200, 302, 400, 409) and the database holds the whole request (request,
code, letter) or nothing of it.
"""

import pytest
from django.test import TestCase
from hypothesis import example, given
from hypothesis import strategies as st

from catalogue.models import Service
from habilitations.flows.substitution import SUBSTITUTION
from habilitations.models import AdhesionRequest, Statut
from tests.accounts import journey
from tests.companies import DUPONT, MARTIN, SANS_SIEGE
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations import requests_written as written
from tests.hostile import FUZZ, HOSTILE, MALFORMED_FORM_BODIES

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"
FORM = "/espace/services/substitution"
RECAP = "/espace/services/substitution/recapitulatif"
SENT = "/espace/services/substitution/courrier"

SIRENS = st.one_of(HOSTILE, st.sampled_from([MARTIN, DUPONT, SANS_SIEGE, "732 829 320", " 552081317 ", "404483117"]))
STATUTS = st.one_of(HOSTILE, st.sampled_from(list(Statut.values)))
SERVICE_VALUES = st.one_of(
    HOSTILE, st.sampled_from(["declarer_tva", "payer_tva", "messagerie", "inconnu", "declarer_tva\x00", "DECLARER_TVA"])
)
SHOWN = st.one_of(HOSTILE, st.sampled_from([MARTIN, DUPONT, "", "732 829 320"]))


@pytest.fixture
def space(client):
    space = SpaceFactory(login_email=EMAIL)
    titulaire = SpaceFactory()
    for code in ("declarer_tva", "payer_tva"):
        builders.grant(titulaire, MARTIN, code)
    builders.grant(space, MARTIN, "messagerie")
    assert journey.login(client, EMAIL).status_code == 302
    return space


def nothing_written(spool):
    written.nothing_written(spool, "substitution")


def all_or_nothing(spool):
    written.all_or_nothing(spool, "substitution")


def draft_is_clean(client):
    """A draft kept for the recap holds only what the rules accept: MARTIN's services with another titulaire."""
    kept = client.session.get(SUBSTITUTION.draft_key)
    if kept is None:
        return
    assert kept["siren"] == MARTIN and kept["statut"] in Statut.values
    assert kept["services"] and set(kept["services"]) <= {"declarer_tva", "payer_tva"}
    assert len(kept["services"]) == len(set(kept["services"]))
    assert set(kept["services"]) <= set(Service.objects.values_list("code", flat=True))


@FUZZ
@given(
    siren=st.one_of(SIRENS, st.lists(SIRENS, min_size=2, max_size=3)),
    statut=st.one_of(STATUTS, st.lists(STATUTS, min_size=2, max_size=3)),
    services=st.lists(SERVICE_VALUES, max_size=6),
    shown=st.one_of(SHOWN, st.lists(SHOWN, min_size=2, max_size=3)),
    groups=st.lists(st.one_of(HOSTILE, st.sampled_from(["0", "1", "-1", "99"])), max_size=4),
)
@example(siren="a" * 10000, statut="\x00", services=["\x00"], shown="\x00", groups=["\x00"])
@example(siren=MARTIN, statut="representant_legal", services=["messagerie"], shown=MARTIN, groups=[])
@example(siren=MARTIN, statut="representant_legal", services=["consulter_compte_fiscal"], shown=MARTIN, groups=[])
@example(siren=MARTIN, statut="representant_legal", services=["declarer_tva"] * 300, shown=MARTIN, groups=["0", "0"])
@example(siren=MARTIN, statut="representant_legal", services=["declarer_tva"], shown=[MARTIN, DUPONT], groups=[])
@example(siren=MARTIN, statut="representant_legal", services=["inconnu"], shown="", groups=[])
def test_j14_form_never_fails_and_writes_nothing(client, space, spool, siren, statut, services, shown, groups):
    data = {"siren": siren, "statut": statut, "services": services, "shown": shown, "services__all": groups}
    response = client.post(FORM, data)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 302:
        assert response.url == RECAP
        assert client.get(RECAP).status_code == 200
    draft_is_clean(client)
    nothing_written(spool)


@FUZZ
@given(extra=st.dictionaries(HOSTILE, st.one_of(HOSTILE, st.lists(HOSTILE, max_size=3)), max_size=4))
def test_j14_recap_ignores_what_is_posted_with_valider(client, space, spool, extra):
    client.post(FORM, {"siren": MARTIN, "statut": "representant_legal", "services": ["declarer_tva"], "shown": MARTIN})
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(RECAP, extra)
    assert response.status_code in (302, 400, 409)
    all_or_nothing(spool)
    assert AdhesionRequest.objects.count() <= 1


@pytest.mark.parametrize("url", [FORM, RECAP, SENT])
@pytest.mark.parametrize(("body", "content_type"), MALFORMED_FORM_BODIES)
def test_j14_malformed_bodies(client, space, spool, url, body, content_type):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.generic("POST", url, body, content_type=content_type)
    assert response.status_code < 500
    draft_is_clean(client)
    nothing_written(spool)


def test_j14_hostile_query_string_on_the_pages(client, space, spool):
    for url in (FORM, RECAP, SENT):
        assert client.get(url + "?siren=%00&shown=%00&services=inconnu&services__all=-1").status_code in (200, 302)
    nothing_written(spool)
