"""R-HOME-1 "Voir tous mes dossiers": the dossiers the space holds, sorted by name, searched by
SIREN or name, paginated; "Choisir ce dossier" (POST) makes one the session's current dossier.
Another space's dossier is never listed nor chosen (R-HAB-2: 404)."""

import re

import pytest
from django.test import Client

from core import clock
from habilitations.flows.dossiers import CURRENT_DOSSIER_KEY
from habilitations.models import Role
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import holdings as steps

pytestmark = pytest.mark.django_db

# The SIREN as people read it ("732 829 320", R-SIREN-1), read back as its digits.
ROW = re.compile(r'<td data-label="SIREN"><span class="espace-nowrap">([\d ]+)</span></td>\s*<td data-label="Raison sociale">([^<]*)</td>')


@pytest.fixture
def space(client):
    space = SpaceFactory()
    steps.sign_in(client, space)
    return space


def listed(client, query: str = "", **params) -> tuple[str, list[tuple[str, str]]]:
    response = client.get("/espace/dossiers", {"q": query, **params} if query else params)
    assert response.status_code == 200
    page = response.content.decode()
    return page, [(siren.replace(" ", ""), name) for siren, name in ROW.findall(page)]


def sirens(rows) -> list[str]:
    return [siren for siren, _ in rows]


@pytest.fixture
def three(space):
    steps.hold(space, steps.martin())
    steps.hold(space, steps.dupont())
    steps.hold(space, steps.dossier("443061841", "ATELIER BLEU"))
    return space


def test_r_home_1_the_list_is_sorted_by_name(client, three):
    page, rows = listed(client)
    assert rows == [("443061841", "ATELIER BLEU"), (DUPONT, "DUPONT ET FILS"), (MARTIN, "SARL MARTIN DISTRIBUTION")]
    assert "3 dossiers, classés par raison sociale." in page


def test_r_home_1_each_dossier_once_however_many_services(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva", "payer_tva", "messagerie"])
    steps.hold(space, steps.martin(), ["declarer_is"], role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    assert sirens(listed(client)[1]) == [MARTIN]


def test_r_hab_2_the_list_shows_only_the_dossiers_held(client, space):
    steps.hold(space, steps.martin())
    steps.hold(SpaceFactory(), steps.dupont())  # another space's
    steps.hold(space, steps.dossier("443061841", "ATELIER BLEU"), ended_at=clock.now())  # ended
    page, rows = listed(client)
    assert sirens(rows) == [MARTIN] and DUPONT not in page and "443061841" not in page


def test_r_home_1_search_by_siren(client, three):
    assert sirens(listed(client, DUPONT)[1]) == [DUPONT]
    assert sirens(listed(client, "552 081 317")[1]) == [DUPONT]  # as it is printed, with spaces
    assert sirens(listed(client, " 7328")[1]) == [MARTIN]  # its first digits
    assert sirens(listed(client, "4430")[1]) == ["443061841"]


def test_r_home_1_search_by_name_whatever_the_case(client, three):
    assert sirens(listed(client, "martin")[1]) == [MARTIN]
    assert sirens(listed(client, "Et Fils")[1]) == [DUPONT]
    assert sirens(listed(client, "i")[1]) == ["443061841", DUPONT, MARTIN]  # in all three, sorted by name
    page, rows = listed(client, "martin")
    assert "1 dossier pour « martin », classés par raison sociale." in page


def test_r_home_1_digits_of_a_name_are_found_too(client, space):
    steps.hold(space, steps.dossier("443061841", "GARAGE DU 7328"))
    steps.hold(space, steps.martin())
    assert sirens(listed(client, "7328")[1]) == ["443061841", MARTIN]


def test_r_home_1_a_search_that_finds_nothing_says_so(client, three):
    page, rows = listed(client, "ZZZ")
    assert rows == [] and "Aucun de vos dossiers ne correspond à « ZZZ »." in page
    assert 'href="/espace/dossiers">Voir tous mes dossiers' in page


def test_r_hab_2_a_search_never_finds_another_spaces_dossier(client, space):
    steps.hold(space, steps.martin())
    steps.hold(SpaceFactory(), steps.dupont())
    assert listed(client, DUPONT)[1] == [] and listed(client, "DUPONT")[1] == []


def test_r_home_1_like_wildcards_are_plain_characters(client, three):
    assert listed(client, "%")[1] == [] and listed(client, "_")[1] == []


def test_r_home_1_the_list_is_paginated(client, space, settings):
    settings.DOSSIERS_PAGE_SIZE = 2
    steps.many_dossiers(space, 5)  # ENTREPRISE 0000 … 0004
    page, rows = listed(client)
    assert [name for _, name in rows] == ["ENTREPRISE 0000", "ENTREPRISE 0001"]
    assert "5 dossiers" in page and "Mes dossiers, page 1 sur 3" in page
    assert 'href="?page=2">Page suivante' in page and "Page précédente" not in page
    page, rows = listed(client, page="3")
    assert [name for _, name in rows] == ["ENTREPRISE 0004"]
    assert 'href="?page=2">Page précédente' in page and "Page suivante" not in page


def test_r_home_1_the_pages_of_a_search_keep_the_search(client, space, settings):
    settings.DOSSIERS_PAGE_SIZE = 2
    steps.many_dossiers(space, 3, prefix="ENTREPRISE")
    steps.many_dossiers(space, 3, first=3, prefix="SOCIETE")
    page, rows = listed(client, "SOCIETE")
    assert [name for _, name in rows] == ["SOCIETE 0003", "SOCIETE 0004"]
    assert 'href="?q=SOCIETE&amp;page=2">Page suivante' in page
    page, rows = listed(client, "SOCIETE", page="2")
    assert [name for _, name in rows] == ["SOCIETE 0005"]


def test_r_home_1_the_list_without_any_dossier(client, space):
    page, rows = listed(client)
    assert rows == [] and "Vous ne disposez encore d'aucun service pour un dossier." in page


def test_r_home_1_the_list_needs_a_session():
    response = Client().get("/espace/dossiers")
    assert response.status_code == 302 and response["Location"] == "/"


# --- "Choisir ce dossier" ------------------------------------------------------------------


def test_r_home_1_choisir_ce_dossier_sets_the_current_dossier(client, three):
    page, _ = listed(client)
    assert '<form method="post" action="/espace/dossiers/choisir">' in page and "csrfmiddlewaretoken" in page
    assert f'name="siren" value="{DUPONT}">Choisir ce dossier<span class="fr-sr-only"> : DUPONT ET FILS, SIREN 552 081 317' in page
    response = client.post("/espace/dossiers/choisir", {"siren": DUPONT})
    assert response.status_code == 302 and response["Location"] == "/espace"
    assert client.session[CURRENT_DOSSIER_KEY] == DUPONT
    page, _ = listed(client)  # the current one is marked, and not offered again
    assert f'value="{DUPONT}"' not in page and f'value="{MARTIN}"' in page
    assert page.count('fr-badge--info fr-badge--no-icon">Dossier courant') == 1


def test_r_hab_2_choosing_another_spaces_dossier_is_not_found(client, space):
    steps.hold(space, steps.martin())
    steps.hold(SpaceFactory(), steps.dupont())
    client.post("/espace/dossiers/choisir", {"siren": MARTIN})
    for siren in (DUPONT, "443061841", "000000000", "abc", "", f" {MARTIN}", "\x00"):  # another space's, nobody's…
        assert client.post("/espace/dossiers/choisir", {"siren": siren}).status_code == 404
    assert client.post("/espace/dossiers/choisir").status_code == 404  # no SIREN at all
    assert client.session[CURRENT_DOSSIER_KEY] == MARTIN  # unchanged


def test_r_hab_2_choosing_a_dossier_no_longer_held_is_not_found(client, space):
    steps.hold(space, steps.martin(), ended_at=clock.now())
    assert client.post("/espace/dossiers/choisir", {"siren": MARTIN}).status_code == 404
    assert CURRENT_DOSSIER_KEY not in client.session


def test_r_home_1_choosing_is_a_post_with_its_token(space):
    browser = Client(enforce_csrf_checks=True)
    steps.sign_in(browser, space)
    steps.hold(space, steps.martin())
    assert browser.get("/espace/dossiers/choisir", {"siren": MARTIN}).status_code == 405
    assert browser.post("/espace/dossiers/choisir", {"siren": MARTIN}).status_code == 403
    assert CURRENT_DOSSIER_KEY not in browser.session


def test_r_home_1_choosing_needs_a_session():
    steps.hold(SpaceFactory(), steps.martin())
    browser = Client()
    response = browser.post("/espace/dossiers/choisir", {"siren": MARTIN})
    assert response.status_code == 302 and response["Location"] == "/"
    assert CURRENT_DOSSIER_KEY not in browser.session
