"""J12 "Gérer mes administrateurs suppléants" in Debian's chromium (R-SUP-1): designate by number and
name, confirm, put on hold, reactivate, remove after its confirmation; axe-core on every page, no
console error, no CSP refusal; the list read as stacked rows on a phone."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from catalogue.models import Service
from core import clock
from dossiers.services.dossiers import open_dossier
from habilitations.models import Habilitation, Role, Suppleance
from tests import companies
from tests.browser.helpers import Visits, captcha_answer, field
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "paul.martin@exemple.fr"


@pytest.fixture
def titulaire(transactional_db):
    """A space titulaire of two MARTIN services, and the space it will designate."""
    if not Service.objects.exists():  # a transactional test before this one flushed the catalogue
        importlib.import_module("catalogue.migrations.0002_guide_001").load(apps, None)
    now = clock.now()
    space = SpaceFactory(login_email=EMAIL, civility="M", last_name="MARTIN", first_name="Paul")
    martin = open_dossier(siren=companies.MARTIN, name="SARL MARTIN DISTRIBUTION", now=now)
    for code in ("declarer_tva", "payer_tva"):
        Habilitation.objects.create(space=space, dossier=martin, service=Service.objects.get(code=code), role=Role.TITULAIRE, started_at=now)
    other = SpaceFactory(civility="MME", last_name="Lefèvre-Dupont", first_name="Anne")
    return space, other


def log_in(page) -> None:
    page.goto("/")
    field(page, "Adresse électronique").fill(EMAIL)
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))


def refused_page_only(page) -> None:
    """A refusal is a 400 document (SPEC §4): the console line it causes is the only problem allowed."""
    problems = page.watch.new_problems()
    assert all("status of 400" in problem for problem in problems), problems


def designate(page, other, visits=None) -> None:
    page.get_by_role("link", name="Désigner un administrateur suppléant").click()
    expect(page.get_by_role("heading", level=1, name="Désigner un administrateur suppléant")).to_be_visible()
    field(page, "Numéro d'abonné de l'espace professionnel").fill("2026 0000 0000 00")
    field(page, "Nom du titulaire de cet espace").fill("lefevre dupont")
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("#form-errors")).to_contain_text("Aucun espace professionnel actif ne correspond")
    refused_page_only(page)
    if visits:
        visits.check("désignation refusée")
    field(page, "Numéro d'abonné de l'espace professionnel").fill(other.subscriber_number)
    field(page, "Nom du titulaire de cet espace").fill("lefevre dupont")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1, name="Confirmer l'administrateur suppléant")).to_be_visible()
    expect(page.get_by_text("Madame Lefèvre-Dupont Anne")).to_be_visible()
    if visits:
        visits.check("confirmation du suppléant")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("est désormais votre administrateur suppléant")


def test_j12_designate_hold_reactivate_remove_at_1280(page, titulaire):
    space, other = titulaire
    visits = Visits(page)
    log_in(page)
    page.goto("/espace/gerer")
    page.get_by_role("link", name="Gérer mes administrateurs suppléants").click()
    expect(page.get_by_role("heading", level=1, name="Gérer mes administrateurs suppléants")).to_be_visible()
    expect(page.get_by_text("Aucun administrateur suppléant pour ce dossier.")).to_be_visible()
    visits.check("liste vide")
    designate(page, other, visits)
    table = page.get_by_role("table", name=re.compile(r"^Administrateurs suppléants du dossier"))
    expect(table.get_by_role("columnheader")).to_have_text(["Nom", "Numéro d'abonné", "État", "Depuis le", "Actions"])
    expect(table.locator("tbody tr").first.get_by_role("cell").nth(2)).to_have_text("Actif")
    visits.check("suppléant désigné")

    page.get_by_role("button", name="Mettre en veille").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("est mis en veille")
    expect(table.locator("tbody tr").first.get_by_role("cell").nth(2)).to_have_text("En veille")
    visits.check("suppléant en veille")
    page.get_by_role("button", name="Réactiver").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("est réactivé")

    page.get_by_role("link", name="Supprimer").click()
    expect(page.get_by_role("heading", level=1, name="Supprimer l'administrateur suppléant")).to_be_visible()
    visits.check("confirmation de la suppression")
    page.get_by_role("link", name="Ne pas supprimer").click()
    page.get_by_role("link", name="Supprimer").click()
    page.get_by_role("button", name="Confirmer la suppression").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("n'est plus votre administrateur suppléant")
    expect(page.get_by_text("Aucun administrateur suppléant pour ce dossier.")).to_be_visible()
    assert Suppleance.objects.get().state == Suppleance.State.REMOVED
    page.watch.assert_clean("fin du parcours")


def test_j12_the_list_reads_as_stacked_rows_on_a_phone(mobile_page, titulaire):
    page = mobile_page
    _space, other = titulaire
    visits = Visits(page, reflow=True)
    log_in(page)
    page.goto("/espace/partage/suppleants")
    designate(page, other)
    cell = page.get_by_role("cell", name="Madame Lefèvre-Dupont Anne")
    expect(cell).to_be_visible()
    assert cell.evaluate("(td) => getComputedStyle(td).display") == "block"
    assert cell.evaluate("(td) => getComputedStyle(td, '::before').content") == '"Nom : "'
    visits.check("liste des suppléants sur un téléphone")
