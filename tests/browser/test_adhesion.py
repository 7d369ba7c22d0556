"""Issue 14's journey in Debian's chromium, with the keyboard alone (Tab, Space, Enter), at 1280 and
375 px: J9 "Adhérer aux services" for MARTIN (the recap, the letter posted to the masked siège),
the letter handed over as a PDF and its code read back, J2 "Activer" with that code, the home
with one dossier and only the services held, a service page; then a second adhesion for DUPONT,
the home with several dossiers, "Voir tous mes dossiers" and "Choisir ce dossier".
axe-core, the console, the CSP and the reflow are checked on every page (Visits)."""

import re

import pytest
from playwright.sync_api import expect

from core import clock
from habilitations.models import AdhesionRequest
from tests import companies as known
from tests.browser.conftest import DESKTOP, MOBILE, _open_page
from tests.browser.helpers import Visits, captcha_answer, field, has_focus, press_and_wait, tab_to, type_into
from tests.factories import STRONG_PASSWORD, SpaceFactory
from tests.habilitations.letters import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "lila.rosemonde@exemple.fr"


@pytest.fixture(params=["1280", "375"])
def any_page(request, chromium, live_server, transactional_db, tmp_path):
    yield from _open_page(request, chromium, live_server, tmp_path, DESKTOP if request.param == "1280" else MOBILE)


@pytest.fixture
def companies(settings, tmp_path):
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    known.add_demo_companies()
    yield settings.LETTER_SPOOL_DIR
    known.KNOWN.clear()


def block(page, title: str):
    return page.locator("section", has=page.get_by_role("heading", name=title, exact=True))


def press_space_on(page, control) -> None:
    """Tab to a checkbox or radio and tick it with Space."""
    tab_to(page, control, max_tabs=120)
    page.keyboard.press("Space")
    expect(control).to_be_checked()


def adhere(page, visits, siren: str, *, tick, name: str) -> None:
    """From the home: "Gérer les services" → "Adhérer aux services" → the form → the recap →
    "Valider" → the "courrier envoyé" page. tick(page) ticks the services."""
    tab_to(page, page.get_by_role("link", name="Gérer les services"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Gérer mon espace")).to_be_visible()
    visits.check("gérer mon espace")
    tab_to(page, page.get_by_role("link", name="Adhérer aux services"))
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1, name="Adhérer aux services")).to_be_visible()
    visits.check("adhérer, formulaire")
    type_into(page, field(page, "SIREN de l'entreprise"), siren)
    # A radio group takes one Tab; its first radio is "Représentant légal".
    legal = page.get_by_role("radio", name="Représentant légal")
    tab_to(page, page.get_by_role("radio", name=re.compile(r"^(Représentant légal|Personne mandatée)$")).first)
    if not has_focus(legal):
        page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    expect(legal).to_be_checked()
    tick(page)
    tab_to(page, page.get_by_role("button", name="Continuer"), max_tabs=120)
    press_and_wait(page)

    main = page.get_by_role("main")
    expect(page.get_by_role("heading", name="Récapitulatif de votre demande")).to_be_visible()
    expect(main).to_contain_text(siren)
    expect(main).to_contain_text(name)
    expect(main).to_contain_text("Représentant légal")
    visits.check("adhérer, récapitulatif")
    tab_to(page, page.get_by_role("button", name="Valider"))
    press_and_wait(page)

    expect(page.get_by_role("heading", name="Votre demande d'adhésion est enregistrée")).to_be_visible()
    request = AdhesionRequest.objects.latest("id")
    expect(main).to_contain_text(f"Le code d'activation est valable jusqu'au {clock.long_date(request.expires_at)}")
    visits.check("adhérer, courrier envoyé")


def activate(page, visits, spool) -> None:
    """The letter handed over (the PDF worker), its code read back; "Activer": code, captcha, email."""
    code = last_code(spool)
    tab_to(page, page.get_by_role("link", name="Activer", exact=True))
    press_and_wait(page)
    type_into(page, field(page, "Saisissez le code d'activation"), code)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)
    type_into(page, field(page, "Saisissez votre adresse électronique de connexion"), EMAIL)
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Vos services ont été activés")).to_be_visible()


def test_issue_14_adhere_activate_and_choose_a_dossier_keyboard_only(any_page, companies):
    page = any_page
    visits = Visits(page, reflow=True)
    SpaceFactory(login_email=EMAIL)
    main = page.get_by_role("main")

    page.goto("/")
    type_into(page, field(page, "Adresse électronique"), EMAIL)
    type_into(page, field(page, "Mot de passe"), STRONG_PASSWORD)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Bienvenue,")).to_be_visible()

    def all_declarer_and_payer_tva(page):
        press_space_on(page, page.get_by_role("checkbox", name="Tout sélectionner (Déclarer)"))
        declarer = page.get_by_role("group", name="Déclarer", exact=True).get_by_role("checkbox")
        expect(declarer).to_have_count(16)  # "Tout sélectionner" and guide 001's 15 services
        for index in range(16):
            expect(declarer.nth(index)).to_be_checked()
        payer = page.get_by_role("group", name="Payer", exact=True)
        press_space_on(page, payer.get_by_role("checkbox", name="TVA", exact=True))

    adhere(page, visits, known.MARTIN, tick=all_declarer_and_payer_tva, name="SARL MARTIN DISTRIBUTION")
    expect(page.locator("address")).to_have_text(re.compile(r"SARL MARTIN DISTRIBUTION\s*12 R\*\* D\* L\* P\*\*\*"))
    expect(main).not_to_contain_text("12 RUE DE LA PAIX")  # the address is masked on screen

    activate(page, visits, companies)
    granted = main.get_by_role("listitem")
    expect(granted.filter(has_text="Déclarer ›")).to_have_count(15)
    expect(granted.filter(has_text="Payer ›")).to_have_text(["Payer › TVA"])
    expect(main).to_contain_text("SARL MARTIN DISTRIBUTION (SIREN 732 829 320)")
    visits.check("activation, services activés")
    tab_to(page, page.get_by_role("link", name=re.compile(r"^Accéder à votre espace et au dossier")))
    press_and_wait(page)

    # One dossier: the current one, and only the services held, by family.
    current = block(page, "Dossier courant")
    expect(current).to_contain_text(f"SIREN {known.MARTIN}")
    expect(current).to_contain_text("SARL MARTIN DISTRIBUTION")
    services = block(page, "Mes services")
    expect(services.get_by_role("heading", level=3)).to_have_text(["Déclarer", "Payer"])
    expect(services.get_by_role("link")).to_have_count(16)
    expect(page.get_by_role("heading", name="Mes dossiers", exact=True)).to_have_count(0)
    visits.check("accueil, un dossier")

    tab_to(page, services.get_by_role("link", name="Impôt sur les sociétés"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclarer › Impôt sur les sociétés")
    expect(main).to_contain_text("Titulaire")
    expect(main).to_contain_text("Dossier SIREN 732 829 320")
    visits.check("page du service")
    tab_to(page, page.get_by_role("link", name="Retour à l'accueil de mon espace"))
    press_and_wait(page)

    # A second dossier: DUPONT, one service.
    def messagerie(page):
        press_space_on(page, page.get_by_role("group", name="Messagerie", exact=True).get_by_role("checkbox", name="Messagerie", exact=True))

    adhere(page, visits, known.DUPONT, tick=messagerie, name="DUPONT ET FILS")
    activate(page, visits, companies)
    expect(main.get_by_role("listitem")).to_have_text(["Messagerie › Messagerie"])
    visits.check("activation, deuxième dossier")
    tab_to(page, page.get_by_role("link", name=re.compile(r"^Accéder à votre espace et au dossier")))
    press_and_wait(page)

    dossiers = block(page, "Mes dossiers")
    expect(dossiers).to_be_visible()
    visits.check("accueil, plusieurs dossiers")
    tab_to(page, dossiers.get_by_role("link", name="Voir tous mes dossiers"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Mes dossiers")).to_be_visible()
    rows = page.locator("tbody tr")  # not by role: at 375 px the rows are stacked blocks
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("DUPONT ET FILS")
    expect(rows.nth(1)).to_contain_text("SARL MARTIN DISTRIBUTION")
    visits.check("liste des dossiers")
    tab_to(page, page.get_by_role("button", name=re.compile(r"^Choisir ce dossier : DUPONT ET FILS")))
    press_and_wait(page)

    expect(page).to_have_url(re.compile(r"/espace$"))
    expect(block(page, "Dossier courant")).to_contain_text(f"SIREN {known.DUPONT}")
    expect(block(page, "Dossier courant")).to_contain_text("DUPONT ET FILS")
    expect(block(page, "Mes services").get_by_role("link")).to_have_text(["Messagerie"])
    expect(block(page, "Mes dossiers")).to_be_visible()
    visits.check("accueil, dossier choisi")
    if visits.minor:
        print("axe-core, violations mineures ou modérées :", visits.minor)
