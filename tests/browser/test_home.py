"""R-HOME-1 and R-HOME-2 in Debian's chromium, at 1280 and at 375 px: the home with one dossier
("Dossier courant", "Mes services", a service page), then with several ("Mes dossiers",
"Choisir un dossier" by a search, "Choisir ce dossier", "Voir tous mes dossiers"). axe-core,
the console, the CSP and the reflow are checked on every page (Visits)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import Visits, certificate_session, field
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import holdings as steps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def block(page, title: str):
    return page.locator("section", has=page.get_by_role("heading", name=title, exact=True))


def walk_the_home(page, live_server) -> None:
    visits = Visits(page, reflow=True)
    space = SpaceFactory()
    steps.hold(space, steps.martin(), ["consulter_compte_fiscal", "declarer_tva", "payer_tva"])
    certificate_session(page, live_server, space)  # the session a login opens (any access mode)

    # One dossier: it is the current dossier, its services by family.
    page.goto("/espace")
    current = block(page, "Dossier courant")
    expect(current).to_contain_text(f"SIREN {MARTIN}")
    expect(current).to_contain_text("SARL MARTIN DISTRIBUTION")
    services = block(page, "Mes services")
    expect(services.get_by_role("heading", level=3)).to_have_text(["Consulter", "Déclarer", "Payer"])
    expect(services.get_by_role("link")).to_have_count(3)
    expect(page.get_by_role("heading", name="Mes dossiers", exact=True)).to_have_count(0)
    visits.check("accueil, un dossier")

    services.get_by_role("link", name="TVA").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclarer › TVA")
    expect(page.get_by_text("l'administration (courrier)")).to_be_visible()
    visits.check("page du service")
    page.get_by_role("link", name="Retour à l'accueil de mon espace").click()

    # Several dossiers: "Mes dossiers", no service until one is chosen.
    steps.hold(space, steps.dupont(), ["declarer_is", "messagerie"])
    page.reload()
    dossiers = block(page, "Mes dossiers")
    expect(dossiers.get_by_role("link", name="Voir tous mes dossiers")).to_be_visible()
    expect(page.get_by_role("heading", name="Dossier courant", exact=True)).to_have_count(0)
    expect(block(page, "Mes services").get_by_role("link")).to_have_count(0)
    visits.check("accueil, plusieurs dossiers")

    field(page, "Choisir un dossier").fill("dupont")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Mes dossiers", level=1)).to_be_visible()
    rows = page.locator("tbody tr")  # not by role: at 375 px the rows are stacked blocks
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("DUPONT ET FILS")
    visits.check("liste, recherche")
    page.get_by_role("button", name=re.compile(r"^Choisir ce dossier : DUPONT ET FILS")).click()

    expect(page).to_have_url(re.compile(r"/espace$"))
    expect(block(page, "Dossier courant")).to_contain_text(f"SIREN {DUPONT}")
    expect(block(page, "Mes services").get_by_role("link")).to_have_count(2)
    expect(block(page, "Mes dossiers")).to_be_visible()
    visits.check("accueil, dossier choisi")

    block(page, "Mes dossiers").get_by_role("link", name="Voir tous mes dossiers").click()
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="DUPONT ET FILS")).to_contain_text("Dossier courant")
    expect(rows.filter(has_text="SARL MARTIN DISTRIBUTION").get_by_role("button")).to_have_text(
        re.compile(r"^Choisir ce dossier")
    )
    visits.check("liste, tous les dossiers")
    return page


def test_r_home_1_the_home_with_one_then_several_dossiers(page, live_server):
    walk_the_home(page, live_server)


def test_r_home_1_the_home_on_a_phone(mobile_page, live_server):
    page = walk_the_home(mobile_page, live_server)
    cell = page.locator("td", has_text="DUPONT ET FILS")
    assert cell.evaluate("(td) => getComputedStyle(td).display") == "block"  # rows stacked at 375 px
