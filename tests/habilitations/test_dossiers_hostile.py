"""Hostile input on the list of dossiers and the dossier routes (SPEC §4 "Bad input"): never a
500; a refused search says why by its field, in French; nothing of the session changes."""

from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from habilitations.flows.dossiers import CURRENT_DOSSIER_KEY
from tests.companies import MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import holdings as steps
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(client):
    space = SpaceFactory()
    steps.sign_in(client, space)
    steps.hold(space, steps.martin())
    steps.hold(space, steps.dupont())
    client.post("/espace/dossiers/choisir", {"siren": MARTIN})
    return space


def refused(response, text: str) -> bool:
    page = response.content.decode()
    return response.status_code == 400 and text in page and 'aria-invalid="true"' in page and "Erreur : " in page


def test_a_search_of_10_kb_is_refused_by_its_field(client, space):
    response = client.get("/espace/dossiers", {"q": "a" * 10_000})
    assert refused(response, "Ce champ ne doit pas dépasser 100 caractères.")
    assert "<table>" not in response.content.decode()


def test_a_search_with_a_nul_byte_or_a_control_character_is_refused_by_its_field(client, space):
    for query in ("MAR\x00TIN", "\x00"):
        assert refused(client.get("/espace/dossiers", {"q": query}), "Le caractère nul n’est pas autorisé."), query
    for query in ("MAR\u202eTIN", "\x1b[2J"):
        assert refused(client.get("/espace/dossiers", {"q": query}), "Ce champ contient des caractères non autorisés.")


def test_a_percent_sign_is_searched_as_typed(client, space):
    response = client.get("/espace/dossiers", {"q": "%00"})
    assert response.status_code == 200 and "Aucun de vos dossiers ne correspond à « %00 »." in response.content.decode()


@pytest.mark.parametrize("number", ["abc", "-1", "0", "99999", "1.5", "", "\x00", "9" * 400])
def test_any_page_number_shows_a_page(client, space, number):
    response = client.get("/espace/dossiers", {"page": number})
    assert response.status_code == 200 and MARTIN in response.content.decode()


@FUZZ
@given(query=HOSTILE, number=st.one_of(HOSTILE, st.integers().map(str)))
@example(query="' OR 1=1 --", number="-1")
def test_the_list_never_fails(client, space, query, number):
    response = client.get("/espace/dossiers", {"q": query, "page": number})
    assert response.status_code in (200, 400)
    assert client.session[CURRENT_DOSSIER_KEY] == MARTIN


@FUZZ
@given(siren=HOSTILE, code=HOSTILE)
@example(siren="\x00", code="\x00")
def test_the_dossier_routes_never_fail(client, space, siren, code):
    siren, code = quote(siren, safe=""), quote(code, safe="")
    assert client.get(f"/espace/dossiers/{siren}/services/{code}").status_code == 404
    assert client.post("/espace/dossiers/choisir", {"siren": siren}).status_code == 404
    assert client.session[CURRENT_DOSSIER_KEY] == MARTIN
