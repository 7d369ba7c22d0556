"""R-HOME-2: the page of a service held on a dossier: the habilitation (role, since when,
granted by), what the role allows, "Accéder au service" when SERVICE_URLS names the service's
application. R-HAB-2: whatever is typed in its path, what the space does not hold now is 404."""

import re
from datetime import datetime, timezone

import pytest
from django.urls import URLPattern, get_resolver

from accounts.models import Space
from catalogue.models import Service
from core import clock
from habilitations import selectors
from habilitations.models import Habilitation, Role
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations import holdings as steps

pytestmark = pytest.mark.django_db

TVA = f"/espace/dossiers/{MARTIN}/services/declarer_tva"


@pytest.fixture
def space(client):
    space = SpaceFactory()
    steps.sign_in(client, space)
    return space


def shown(client, path: str = TVA) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def summary(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))


def actions(page: str) -> list[str]:
    block = page.split('id="actions-titre"', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<li>([^<]+)</li>", block)


def test_r_home_2_the_service_page_of_a_titulaire(client, space):
    # Activated at 00:30 in Paris on 1 January (still 31 December in UTC): dated in Paris.
    steps.hold(space, steps.martin(), ["declarer_tva"], started_at=datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc))
    page = shown(client)
    assert "<h1>Déclarer › TVA</h1>" in page
    assert 'Dossier SIREN <span class="espace-nowrap">732 829 320</span> — <strong>SARL MARTIN DISTRIBUTION</strong>' in page
    assert summary(page) == {
        "Rôle": "Titulaire",
        "Depuis le": "1er janvier 2027",
        "Accordée par": "l&#x27;administration (courrier)",
    }
    assert actions(page) == [
        "Utiliser ce service en ligne pour le dossier",
        "Désigner des administrateurs suppléants pour le dossier",
        "Déléguer ce service à un autre espace professionnel",
        "Modifier l&#x27;adresse électronique de l&#x27;entreprise",
    ]
    assert 'aria-current="page">Déclarer › TVA</a>' in page and 'href="/espace">Accueil de mon espace' in page
    assert "Accéder au service" not in page  # no SERVICE_URLS: the product does not pretend (R-CAT-1)
    assert "délégation" not in page.lower().replace("gérer les délégations", "")  # none exists yet


def test_r_home_2_a_delegation_names_its_grantor_and_allows_the_service_only(client, space, time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 10, 0, tzinfo=clock.PARIS), tick=False)
    grantor = SpaceFactory(last_name="Martin", first_name="Paul", subscriber_number="20260540009999")
    steps.hold(space, steps.martin(), ["payer_tva"], role=Role.DELEGATAIRE, granted_by=grantor, ends_on=clock.paris_today())
    page = shown(client, f"/espace/dossiers/{MARTIN}/services/payer_tva")
    assert summary(page) == {
        "Rôle": "Délégataire",
        "Depuis le": "3 décembre 2026",
        "Accordée par": "MARTIN Paul (abonné 20260540009999)",
        "Jusqu\x27au": "3 décembre 2026 inclus",
    }
    assert actions(page) == ["Utiliser ce service en ligne pour le dossier"]  # no bank accounts (R-DEL-1)


def test_r_home_2_a_payer_service_adds_the_bank_accounts_for_a_titulaire(client, space):
    steps.hold(space, steps.martin(), ["payer_tva"])
    assert actions(shown(client, f"/espace/dossiers/{MARTIN}/services/payer_tva"))[-1] == "Gérer les comptes bancaires du dossier"


def test_r_home_2_a_suppleant_manages_delegations(client, space):
    steps.hold(space, steps.martin(), ["payer_tva"], role=Role.SUPPLEANT, granted_by=SpaceFactory())
    assert actions(shown(client, f"/espace/dossiers/{MARTIN}/services/payer_tva")) == [
        "Utiliser ce service en ligne pour le dossier",
        "Gérer les délégations de ce service",
        "Modifier l&#x27;adresse électronique de l&#x27;entreprise",
        "Gérer les comptes bancaires du dossier",
    ]


def test_r_home_2_a_titulaire_who_is_also_delegate_reads_as_titulaire(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva"], role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    steps.hold(space, steps.martin(), ["declarer_tva"])
    assert summary(shown(client))["Rôle"] == "Titulaire"


def test_r_home_2_acceder_au_service_only_with_service_urls(client, space, settings):
    steps.hold(space, steps.martin(), ["declarer_tva", "payer_tva"])
    settings.SERVICE_URLS = {"declarer_tva": "https://tva.exemple.fr/declarer"}
    page = shown(client)
    assert re.search(r'<a class="fr-btn[^"]*" href="https://tva.exemple.fr/declarer" rel="noopener">Accéder au service</a>', page)
    assert "Accéder au service" not in shown(client, f"/espace/dossiers/{MARTIN}/services/payer_tva")


def test_r_home_2_each_service_link_of_the_home_opens_its_page(client, space):
    steps.hold(space, steps.martin(), ["consulter_compte_fiscal", "declarer_tva", "messagerie"])
    links = re.findall(r'href="(/espace/dossiers/\d+/services/[a-z0-9_]+)"', shown(client, "/espace"))
    assert len(links) == 3
    for link in links:
        assert "<h2 class=\"fr-h4\" id=\"habilitation-titre\">Votre habilitation</h2>" in shown(client, link)


# --- R-HAB-2: 404 for whatever the space does not hold now -----------------------------------


def test_r_hab_2_another_spaces_dossier_is_not_found(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva"])
    steps.hold(SpaceFactory(), steps.dupont(), ["declarer_tva"])
    assert client.get(f"/espace/dossiers/{DUPONT}/services/declarer_tva").status_code == 404


def test_r_hab_2_a_service_not_held_on_the_dossier_is_not_found(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva"])
    steps.hold(SpaceFactory(), steps.martin(), ["payer_tva"])  # the same dossier, another space's service
    steps.hold(space, steps.dupont(), ["declarer_is"])  # held, but on another dossier
    assert client.get(f"/espace/dossiers/{MARTIN}/services/payer_tva").status_code == 404
    assert client.get(f"/espace/dossiers/{MARTIN}/services/declarer_is").status_code == 404


def test_r_hab_2_an_unknown_code_is_not_found(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva"])
    for code in ("inconnu", "DECLARER_TVA", "declarer-tva"):
        assert client.get(f"/espace/dossiers/{MARTIN}/services/{code}").status_code == 404


def test_r_hab_2_an_ended_habilitation_is_not_found(client, space):
    steps.hold(space, steps.martin(), ["declarer_tva"], ended_at=clock.now())
    steps.hold(space, steps.martin(), ["payer_tva"])
    assert client.get(TVA).status_code == 404


def test_r_hab_2_a_delegation_past_its_end_date_is_not_found(client, space, time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 23, 50, tzinfo=clock.PARIS), tick=False)
    steps.hold(space, steps.martin(), ["declarer_tva"], role=Role.DELEGATAIRE, granted_by=SpaceFactory(), ends_on=clock.paris_today())
    steps.sign_in(client, space)
    assert client.get(TVA).status_code == 200  # its last day, Paris time
    time_machine.move_to(datetime(2026, 12, 4, 0, 5, tzinfo=clock.PARIS), tick=False)
    assert client.get(TVA).status_code == 404


def test_r_hab_2_the_service_page_needs_a_session(client):
    steps.hold(SpaceFactory(), steps.martin(), ["declarer_tva"])
    client.logout()
    response = client.get(TVA)
    assert response.status_code == 302 and response["Location"] == "/"


def dossier_routes():
    """Every route of habilitations' URLs that names a dossier by its SIREN."""
    for pattern in get_resolver("habilitations.urls").url_patterns:
        if isinstance(pattern, URLPattern) and "<slug:siren>" in str(pattern.pattern):
            yield str(pattern.pattern)


def test_r_hab_2_every_dossier_route_answers_404_for_another_spaces_dossier(client, space):
    """The walk habilitations/urls.py promises: each route with a SIREN, typed with another
    space's dossier and a service that space holds there, is not found, by GET and by POST."""
    steps.hold(space, steps.martin(), ["declarer_tva"])
    steps.hold(SpaceFactory(), steps.dupont(), ["declarer_tva"])
    own_suppleance = builders.suppleance(space, MARTIN).pk  # J12's routes take a designation's id
    given = builders.delegate(space, SpaceFactory(), MARTIN).pk  # J13's: the space's own delegation
    routes = list(dossier_routes())
    assert routes  # the service page; "Choisir ce dossier" posts its SIREN (test_dossiers_list)
    for route in routes:
        route = route.replace("<int:pk>", str(own_suppleance if "/suppleants/" in route else given))
        path = "/" + route.replace("<slug:siren>", DUPONT).replace("<slug:code>", "declarer_tva")
        own = "/" + route.replace("<slug:siren>", MARTIN).replace("<slug:code>", "declarer_tva")
        answers = {client.get(path).status_code, client.post(path).status_code}
        assert answers <= {404, 405} and 404 in answers, (path, answers)
        assert {client.get(own).status_code, client.post(own).status_code} & {200, 302}, own



def test_r_home_2_a_grantor_without_a_name_is_named_by_its_number():
    """A deleted space keeps its subscriber number only (R-DEL-SPACE-1)."""
    gone = Space(last_name="", first_name="", subscriber_number="20260540001234")
    assert selectors.granted_by(Habilitation(granted_by=gone)) == "abonné 20260540001234"
    assert selectors.role_actions("inconnu", Service.objects.get(code="payer_tva")) == []
