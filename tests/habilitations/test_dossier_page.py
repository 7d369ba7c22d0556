"""The dossier page: the company, the services held with their role, the company email for its
managers only (R-ENT-1), and nothing for a space that holds nothing there now (R-HAB-2: 404)."""

import html
import re

import pytest
from django.urls import reverse

from core import clock
from dossiers.models import Dossier
from habilitations import selectors
from habilitations.models import Role
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations import holdings as steps

pytestmark = pytest.mark.django_db

PAGE = f"/espace/dossiers/{MARTIN}"


@pytest.fixture
def space(client):
    space = SpaceFactory()
    steps.sign_in(client, space)
    return space


def summary(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", page))


def test_the_titulaire_sees_the_company_its_services_and_the_company_email(client, space):
    builders.grant(space, MARTIN, "declarer_tva", name="SARL MARTIN DISTRIBUTION")
    builders.grant(space, MARTIN, "payer_tva")
    Dossier.objects.filter(siren=MARTIN).update(company_email="contact@martin.example")

    response = client.get(PAGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>SARL MARTIN DISTRIBUTION</h1>" in page
    assert summary(page) == {
        "SIREN": "732 829 320",
        "Adresse électronique de l'entreprise": "contact@martin.example",
    }
    assert f'href="/espace/dossiers/{MARTIN}/services/declarer_tva">Déclarer › TVA</a> — Titulaire' in page
    assert f'href="/espace/dossiers/{MARTIN}/services/payer_tva">Payer › TVA</a> — Titulaire' in page


def test_r_ent_1_a_delegataire_does_not_see_the_company_email(client, space):
    builders.grant(space, MARTIN, "declarer_tva", role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    Dossier.objects.filter(siren=MARTIN).update(company_email="contact@martin.example")

    page = client.get(PAGE).content.decode()

    assert "contact@martin.example" not in page and "Adresse électronique de l'entreprise" not in page
    assert "— Délégataire" in page


def test_a_manager_without_a_known_company_email_is_told_so(client, space):
    builders.grant(space, MARTIN, "declarer_tva")

    assert summary(client.get(PAGE).content.decode())["Adresse électronique de l'entreprise"] == "Aucune adresse connue"


def test_r_hab_2_a_dossier_held_by_another_an_ended_habilitation_or_an_unknown_siren_is_404(client, space):
    builders.grant(SpaceFactory(), DUPONT, "declarer_tva")
    builders.grant(space, MARTIN, "declarer_tva", ended_at=clock.now())

    for path in (PAGE, f"/espace/dossiers/{DUPONT}", "/espace/dossiers/000000000", "/espace/dossiers/abc"):
        assert client.get(path).status_code == 404, path


def test_the_home_links_the_current_dossier_to_its_page(client, space):
    builders.grant(space, MARTIN, "declarer_tva", name="SARL MARTIN DISTRIBUTION")

    assert f'href="{reverse("habilitations:dossier", kwargs={"siren": MARTIN})}"' in client.get(reverse("espace:home")).content.decode()


def test_dossier_entries_keep_only_what_the_policy_allows(monkeypatch, space):
    builders.grant(space, MARTIN, "declarer_tva")
    access = selectors.policy.access(space, MARTIN)
    monkeypatch.setattr(
        selectors,
        "DOSSIER_ENTRIES",
        [("Permis", "habilitations:dossier", lambda allowed: True), ("Refusé", "x", lambda allowed: False)],
    )

    assert selectors.dossier_entries(access) == [selectors.Entry("Permis", "habilitations:dossier")]


MANAGEMENT = {
    "Désigner un administrateur suppléant": f"/espace/dossiers/{MARTIN}/suppleants/designer",
    "Déléguer des services": f"/espace/dossiers/{MARTIN}/delegations/deleguer",
    "Modifier l'adresse électronique de l'entreprise": f"/espace/dossiers/{MARTIN}/adresse-entreprise",
    "Gérer les comptes bancaires": f"/espace/dossiers/{MARTIN}/comptes-bancaires",
}


def entries(page: str) -> dict[str, str]:
    section = page.partition('id="gestion-titre"')[2]
    return {html.unescape(label): href for href, label in re.findall(r'<a class="fr-link" href="([^"]+)">([^<]+)</a>', section)}


@pytest.mark.parametrize(
    ("role", "codes", "shown"),
    [
        (Role.TITULAIRE, ["declarer_tva", "payer_tva"], set(MANAGEMENT)),
        (Role.TITULAIRE, ["declarer_tva"], set(MANAGEMENT) - {"Gérer les comptes bancaires"}),
        (Role.SUPPLEANT, ["declarer_tva", "payer_tva"], set(MANAGEMENT) - {"Désigner un administrateur suppléant"}),
        (Role.DELEGATAIRE, ["declarer_tva", "payer_tva"], set()),
    ],
)
def test_the_dossier_page_links_what_the_policy_allows_and_each_link_opens(client, space, role, codes, shown):
    granted_by = None if role == Role.TITULAIRE else SpaceFactory()
    for code in codes:
        builders.grant(space, MARTIN, code, role=role, granted_by=granted_by, name="SARL MARTIN DISTRIBUTION")

    listed = entries(client.get(PAGE).content.decode())

    assert listed == {label: MANAGEMENT[label] for label in shown}
    for href in listed.values():  # no link to a page that would answer 404
        assert client.get(href).status_code == 200, href
