"""J15 "Modifier mes coordonnées" then J16 "Supprimer mon espace professionnel" in Debian's chromium,
keyboard only, at 1280 and 375 px: the coordinates changed (the header shows the new name), the
deletion refused while titulaire (its table), then, the titulaire row ended, the irrevocable warning,
password + captcha, and the space deleted. axe-core on every page, no console error, no CSP
refusal, nothing to scroll sideways on a phone.
"""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from accounts.models import Space
from catalogue.models import Service
from core import clock
from dossiers.services.dossiers import open_dossier
from habilitations.models import Habilitation, Role
from tests import companies
from tests.browser.helpers import Visits, captcha_answer, field, press_and_wait, tab_to, type_into
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "lila.rosemonde@exemple.fr"


@pytest.fixture
def holder(transactional_db, settings):
    """A space titulaire of MARTIN's TVA, and suppléant of DUPONT's IS for another space."""
    if not Service.objects.exists():  # a transactional test before this one flushed the catalogue
        importlib.import_module("catalogue.migrations.0002_guide_001").load(apps, None)
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    companies.add_demo_companies()
    now = clock.now()
    space = SpaceFactory(login_email=EMAIL)
    titulaire = SpaceFactory(civility="M", last_name="DUPONT", first_name="Jean-Édouard")
    martin = open_dossier(siren=companies.MARTIN, name="SARL MARTIN DISTRIBUTION", now=now)
    dupont = open_dossier(siren=companies.DUPONT, name="DUPONT ET FILS", now=now)
    Habilitation.objects.create(
        space=space, dossier=martin, service=Service.objects.get(code="declarer_tva"), role=Role.TITULAIRE, started_at=now
    )
    Habilitation.objects.create(
        space=space, dossier=dupont, service=Service.objects.get(code="declarer_is"), role=Role.SUPPLEANT,
        granted_by=titulaire, started_at=now,
    )
    yield space
    companies.KNOWN.clear()


def replace(page, label: str, text: str) -> None:
    """Reach the field by Tab, select what it holds and type text over it."""
    target = field(page, label)
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def journey(page, visits: Visits, space) -> None:
    type_into(page, field(page, "Adresse électronique"), EMAIL)
    type_into(page, field(page, "Mot de passe"), STRONG_PASSWORD)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)
    tab_to(page, page.get_by_role("link", name="Gérer les services"))
    press_and_wait(page)

    # J15: the step-3 fields pre-filled; a new name, phone and city.
    tab_to(page, page.get_by_role("link", name="Modifier mes coordonnées"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Modifier mes coordonnées")).to_be_visible()
    expect(field(page, "Nom")).to_have_value("ROSEMONDE")
    expect(field(page, "Numéro de téléphone")).to_have_value("01 24 57 88 77")
    visits.check("modifier mes coordonnées")
    replace(page, "Nom", "Rosemonde-Vidal")
    replace(page, "Numéro de téléphone", "06 12 34 56 78")
    replace(page, "Ville", "Lyon")
    replace(page, "Code postal", "69002")
    type_into(page, field(page, "Mot de passe actuel"), STRONG_PASSWORD)
    tab_to(page, page.get_by_role("button", name="Valider"))
    press_and_wait(page)
    expect(page.get_by_text("Enregistrement effectué.")).to_be_visible()
    expect(page.locator(".espace-identity")).to_contain_text("ROSEMONDE-VIDAL Lila")
    visits.check("coordonnées enregistrées")
    tab_to(page, page.get_by_role("link", name="Retourner à la gestion de mon espace"))
    press_and_wait(page)

    # J16 refused while titulaire: the services, and where to go.
    tab_to(page, page.get_by_role("link", name="Supprimer mon espace professionnel"))
    press_and_wait(page)
    expect(page.get_by_text("Votre espace ne peut pas être supprimé")).to_be_visible()
    table = page.get_by_role("table", name="Services dont votre espace est titulaire")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("cell", name="Déclarer › TVA")).to_be_visible()
    expect(page.get_by_role("link", name="Consulter mes services")).to_be_visible()
    visits.check("suppression refusée (titulaire)")

    # Substituted meanwhile (R-SUB-1): the warning, then the password and the captcha.
    Habilitation.objects.filter(space=space, role=Role.TITULAIRE).update(ended_at=clock.now())
    page.reload()
    expect(page.get_by_role("heading", name="La suppression est définitive")).to_be_visible()
    warned = page.get_by_role("table", name="Habilitations qui prendront fin")
    expect(warned.get_by_role("cell", name="Déclarer › Impôt sur les sociétés")).to_be_visible()
    visits.check("suppression : avertissement")
    tab_to(page, page.get_by_role("link", name="Continuer vers la suppression"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Confirmer la suppression de mon espace professionnel")).to_be_visible()
    visits.check("suppression : confirmation")
    type_into(page, field(page, "Mot de passe actuel"), STRONG_PASSWORD)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    tab_to(page, page.get_by_role("button", name="Supprimer définitivement mon espace"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Espace professionnel supprimé")).to_be_visible()
    visits.check("espace supprimé")
    deleted = Space.objects.get(pk=space.pk)
    assert not deleted.is_active and deleted.login_email is None and deleted.last_name == ""
    page.goto("/espace")
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()
    page.watch.assert_clean("fin du parcours")


def test_j15_j16_keyboard_only_at_1280(page, holder):
    page.goto("/")
    journey(page, Visits(page), holder)


def test_j15_j16_keyboard_only_on_a_phone(mobile_page, holder):
    mobile_page.goto("/")
    journey(mobile_page, Visits(mobile_page, reflow=True), holder)
