"""R-HOME-1: the home as guide 001's three screens, with the test client.

No service: the welcome. One dossier: "Dossier courant" (SIREN and raison sociale) and "Mes
services" by family, only the services held, each a link to its page (R-HOME-2). Several:
"Mes dossiers" ("Choisir un dossier", "Voir tous mes dossiers"); the dossier chosen is the
session's current dossier, asked of the policy at each request (R-HAB-2) and dropped,
silently, once the space no longer holds it.
"""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from core import clock
from habilitations.flows.dossiers import CURRENT_DOSSIER_KEY
from habilitations.models import Role
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import holdings as steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(client):
    space = SpaceFactory()
    steps.sign_in(client, space)
    return space


def home(client) -> str:
    response = client.get("/espace")
    assert response.status_code == 200
    return response.content.decode()


def service_links(page: str) -> list[str]:
    """Return the hrefs of the service links of the page, in order."""
    return re.findall(r'href="(/espace/dossiers/\d+/services/[a-z0-9_]+)"', page)


def block(page: str, block_id: str) -> str:
    """Return the HTML of the home's block of that id ("" when absent)."""
    found = re.search(rf'<section class="espace-block" id="{block_id}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def choose(client, siren: str):
    return client.post("/espace/dossiers/choisir", {"siren": siren})


# --- Screen 1: no service ----------------------------------------------------------------------


def test_r_home_1_no_service_shows_the_welcome(client, space):
    page = home(client)
    assert "Bienvenue," in page and "Vous ne disposez encore d'aucun service." in page
    assert "Dossier courant" not in page and "Mes dossiers" not in page
    assert service_links(page) == []
    assert "Gérer les services" in page


def test_r_home_1_the_welcome_ignores_another_spaces_dossiers(client, space):
    steps.hold(SpaceFactory(), steps.martin())
    page = home(client)
    assert "Bienvenue," in page and MARTIN not in page


def test_r_home_1_an_ended_habilitation_gives_the_welcome(client, space):
    steps.hold(space, steps.martin(), ended_at=clock.now())
    assert "Bienvenue," in home(client)


def test_r_home_1_the_welcome_leads_to_the_adhesion_wizard(client, space):
    page = home(client)
    url = reverse("habilitations:adhesion")
    assert f'<a class="fr-link" href="{url}">Je souhaite adhérer</a>' in page
    assert f'<a class="fr-link" href="{url}">J\'adhère</a>' in page
    assert "pas encore disponible" not in page.split("Mes autres services")[0]


# --- Screen 2: one dossier ---------------------------------------------------------------------


def test_r_home_1_one_dossier_is_the_current_dossier_with_its_services(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva", "payer_tva"])
    page = home(client)
    current = block(page, "dossier-courant")
    assert "Dossier courant" in current and f"SIREN {MARTIN}" in current and "SARL MARTIN DISTRIBUTION" in current
    assert "Bienvenue," not in page and block(page, "mes-dossiers") == ""
    assert service_links(page) == [
        f"/espace/dossiers/{MARTIN}/services/declarer_tva",
        f"/espace/dossiers/{MARTIN}/services/payer_tva",
    ]


def test_r_home_1_only_the_services_held_are_shown(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva"])
    steps.hold(SpaceFactory(), steps.martin(), ["payer_tva"])  # another space's service of the same dossier
    steps.hold(space, steps.martin(), ["declarer_is"], ended_at=clock.now())  # no longer held
    services = block(home(client), "mes-services")
    assert service_links(services) == [f"/espace/dossiers/{MARTIN}/services/declarer_tva"]
    assert ">TVA</a>" in services and "Impôt sur les sociétés" not in services
    # Families without a service held are left out.
    assert "<h3" in services and "Déclarer" in services
    for family in ("Consulter", "Payer", "Démarches", "Messagerie"):
        assert f">{family}</h3>" not in services


def test_r_home_1_families_and_services_in_the_guides_order(client, space):
    codes = ["messagerie", "payer_tva", "declarer_is", "consulter_compte_fiscal", "declarer_tva", "demarches_guichet_tva_ue"]
    steps.hold(space, steps.martin(), codes)
    services = block(home(client), "mes-services")
    assert re.findall(r'<h3 class="fr-h6 fr-mb-1w">([^<]+)</h3>', services) == [
        "Consulter", "Déclarer", "Payer", "Démarches", "Messagerie",
    ]  # fmt: skip
    assert [link.rsplit("/", 1)[1] for link in service_links(services)] == [
        "consulter_compte_fiscal", "declarer_tva", "declarer_is", "payer_tva", "demarches_guichet_tva_ue", "messagerie",
    ]  # fmt: skip


def test_r_home_1_a_service_held_twice_is_shown_once(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva"])
    steps.hold(space, steps.martin(), ["declarer_tva"], role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    assert service_links(home(client)) == [f"/espace/dossiers/{MARTIN}/services/declarer_tva"]


def test_r_home_1_one_dossier_left_drops_a_choice_made_among_several(client, space):
    steps.hold(space, steps.martin())
    lost = steps.hold(space, steps.dupont())
    assert choose(client, DUPONT).status_code == 302
    for row in lost:
        row.ended_at = clock.now()
        row.save()
    page = home(client)
    assert f"SIREN {MARTIN}" in block(page, "dossier-courant")
    assert CURRENT_DOSSIER_KEY not in client.session


# --- Screen 3: several dossiers ----------------------------------------------------------------


def test_r_home_1_several_dossiers_offer_mes_dossiers_and_no_service_until_one_is_chosen(client, space):
    steps.hold(space, steps.martin())
    steps.hold(space, steps.dupont())
    page = home(client)
    dossiers = block(page, "mes-dossiers")
    assert "Mes dossiers" in dossiers and "Voir tous mes dossiers" in dossiers
    assert 'href="/espace/dossiers"' in dossiers and 'action="/espace/dossiers"' in dossiers
    assert "Choisir un dossier" in dossiers  # the search field's label
    assert block(page, "dossier-courant") == "" and service_links(page) == []
    assert "choisissez un dossier pour afficher ses services" in block(page, "mes-services")


def test_r_home_1_the_dossier_chosen_is_current_for_the_session(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva"])
    steps.hold(space, steps.dupont(), ["payer_tva", "messagerie"])
    response = choose(client, DUPONT)
    assert response.status_code == 302 and response["Location"] == "/espace"
    assert client.session[CURRENT_DOSSIER_KEY] == DUPONT  # the SIREN only
    for _ in range(2):  # kept from one request to the next
        page = home(client)
        assert f"SIREN {DUPONT}" in block(page, "dossier-courant") and "DUPONT ET FILS" in page
        assert "Mes dossiers" in block(page, "mes-dossiers")  # to change
        assert service_links(page) == [
            f"/espace/dossiers/{DUPONT}/services/payer_tva",
            f"/espace/dossiers/{DUPONT}/services/messagerie",
        ]
    assert choose(client, MARTIN).status_code == 302  # another choice replaces it
    assert service_links(home(client)) == [f"/espace/dossiers/{MARTIN}/services/declarer_tva"]


def test_r_hab_2_the_current_dossier_is_dropped_once_no_longer_held(client, space):
    steps.hold(space, steps.martin())
    steps.hold(space, steps.dossier("443061841", "TROISIEME SARL"))
    lost = steps.hold(space, steps.dupont())
    choose(client, DUPONT)
    for row in lost:  # ended in another session (a substitution, say)
        row.ended_at = clock.now()
        row.save()
    page = home(client)
    assert block(page, "dossier-courant") == "" and DUPONT not in page
    assert "Mes dossiers" in block(page, "mes-dossiers")
    assert CURRENT_DOSSIER_KEY not in client.session


def test_r_hab_2_a_delegation_past_its_end_date_drops_the_current_dossier(client, space, time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 23, 50, tzinfo=clock.PARIS), tick=False)
    steps.hold(space, steps.martin())
    steps.hold(space, steps.dossier("443061841", "TROISIEME SARL"))
    steps.hold(space, steps.dupont(), role=Role.DELEGATAIRE, granted_by=SpaceFactory(), ends_on=clock.paris_today())
    steps.sign_in(client, space)
    choose(client, DUPONT)
    assert f"SIREN {DUPONT}" in block(home(client), "dossier-courant")  # its last day (Paris)
    time_machine.move_to(datetime(2026, 12, 4, 0, 5, tzinfo=clock.PARIS), tick=False)  # the next day, Paris
    page = home(client)
    assert block(page, "dossier-courant") == "" and DUPONT not in page
    assert CURRENT_DOSSIER_KEY not in client.session


def test_r_hab_2_a_siren_put_in_the_session_gives_nothing_the_space_does_not_hold(client, space):
    steps.hold(space, steps.martin())
    steps.hold(space, steps.dossier("443061841", "TROISIEME SARL"))
    steps.hold(SpaceFactory(), steps.dupont(), ["declarer_tva"])
    session = client.session
    session[CURRENT_DOSSIER_KEY] = DUPONT  # as if a session had been tampered with
    session.save()
    page = home(client)
    assert DUPONT not in page and service_links(page) == []
    assert CURRENT_DOSSIER_KEY not in client.session


def test_r_home_1_the_home_needs_a_session(client):
    response = client.get("/espace")
    assert response.status_code == 302 and response["Location"] == "/"


def test_r_home_1_the_expiry_countdown_stays_above_every_screen(client, space, time_machine):
    steps.hold(space, steps.martin())
    time_machine.move_to(datetime.combine(space.password_expires_on - timedelta(days=10), datetime.min.time(), clock.PARIS))
    steps.sign_in(client, space)
    page = home(client)
    assert "Attention, votre accès sera bloqué dans" in page and f"SIREN {MARTIN}" in page
