"""J17 "Modifier l'adresse électronique de l'entreprise" (R-ENT-1) in Debian's chromium: from
"Gérer mon espace" to the chooser, the form (refused, then accepted), the sent page, then J2
with the code the new address received and its confirmation; axe-core on every page, no
console error, no CSP refusal; at 375 px nothing to scroll sideways. The keyboard reaches the
form and sends it."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from catalogue.models import Service
from core import clock
from dossiers.models import Dossier
from dossiers.services.dossiers import open_dossier
from habilitations.models import Habilitation, Role
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests import companies
from tests.browser.helpers import CODE_LINE, Visits, captcha_answer, field, press_and_wait, type_into
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "lila.rosemonde@exemple.fr"
NEW = "contact@martin-distribution.fr"


@pytest.fixture
def titulaire(transactional_db, settings):
    """A space titulaire of services of MARTIN (whose address is known) and DUPONT."""
    if not Service.objects.exists():  # a transactional test before this one flushed the catalogue
        importlib.import_module("catalogue.migrations.0002_guide_001").load(apps, None)
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    companies.add_demo_companies()
    now = clock.now()
    space = SpaceFactory(login_email=EMAIL)
    martin = open_dossier(siren=companies.MARTIN, name="SARL MARTIN DISTRIBUTION", now=now)
    dupont = open_dossier(siren=companies.DUPONT, name="DUPONT ET FILS", now=now)
    Dossier.objects.filter(pk=martin.pk).update(company_email="ancienne@martin-distribution.fr")
    for dossier in (martin, dupont):
        Habilitation.objects.create(
            space=space, dossier=dossier, service=Service.objects.get(code="declarer_tva"), role=Role.TITULAIRE,
            started_at=now,
        )
    yield space
    companies.KNOWN.clear()


def log_in(page) -> None:
    page.goto("/")
    field(page, "Adresse électronique").fill(EMAIL)
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))


def code_sent_to(email: str) -> str:
    mail = OutboxEmail.objects.filter(to=email).order_by("-id").first()
    [code] = CODE_LINE.findall(decrypt_body(mail))
    return code


def test_r_ent_1_company_email_in_a_real_browser_at_1280(page, titulaire):
    visits = Visits(page)
    log_in(page)
    page.goto("/espace/gerer")
    page.get_by_role("link", name="Modifier l'adresse électronique de l'entreprise").click()
    table = page.get_by_role("table", name="Entreprises dont vous pouvez modifier l'adresse électronique")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.get_by_role("cell", name="ancienne@martin-distribution.fr")).to_be_visible()
    visits.check("choix du dossier")
    table.get_by_role("link", name=re.compile(r"^Modifier l'adresse électronique de SARL MARTIN")).click()
    expect(page.get_by_role("heading", level=1, name="Modifier l'adresse électronique de l'entreprise")).to_be_visible()
    expect(page.get_by_text("Adresse électronique actuelle de l'entreprise : ancienne@martin-distribution.fr")).to_be_visible()
    visits.check("formulaire")
    field(page, "Nouvelle adresse électronique de l'entreprise").fill(NEW)
    field(page, "Confirmation de la nouvelle adresse électronique de l'entreprise").fill("autre@martin-distribution.fr")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#form-errors")).to_contain_text("Les deux adresses électroniques saisies ne sont pas identiques.")
    assert all("status of 400" in problem for problem in page.watch.new_problems())  # the refusal's own status
    visits.check("formulaire refusé")
    field(page, "Nouvelle adresse électronique de l'entreprise").fill(NEW)
    field(page, "Confirmation de la nouvelle adresse électronique de l'entreprise").fill(NEW)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".fr-alert--success")).to_contain_text(f"Un code a été envoyé à l'adresse {NEW}")
    expect(page.get_by_text(re.compile(r"Ce code est valable 48 heures"))).to_be_visible()
    visits.check("code envoyé")

    page.get_by_role("link", name="Activez votre espace ou vos services").click()
    field(page, "Saisissez le code d'activation").fill(code_sent_to(NEW))
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Continuer").click()
    field(page, "Saisissez votre adresse électronique de connexion").fill(EMAIL)
    page.get_by_role("button", name="Continuer").click()
    main = page.locator("main")
    expect(main).to_contain_text("L'adresse électronique de l'entreprise a été modifiée")
    expect(main).to_contain_text(f"SARL MARTIN DISTRIBUTION (SIREN 732 829 320) est désormais {NEW}")
    visits.check("adresse modifiée")
    assert Dossier.objects.get(siren=companies.MARTIN).company_email == NEW
    page.watch.assert_clean("fin du parcours")


def test_r_ent_1_company_email_on_a_phone_with_the_keyboard(mobile_page, titulaire):
    page = mobile_page
    visits = Visits(page, reflow=True)
    log_in(page)
    page.goto("/espace/entreprise/adresse")
    visits.check("choix du dossier sur un téléphone")
    page.goto(f"/espace/dossiers/{companies.DUPONT}/adresse-entreprise")
    expect(page.get_by_text("Adresse électronique actuelle de l'entreprise : aucune adresse connue")).to_be_visible()
    visits.check("formulaire sur un téléphone")
    type_into(page, field(page, "Nouvelle adresse électronique de l'entreprise"), "contact@dupont.fr")
    type_into(page, field(page, "Confirmation de la nouvelle adresse électronique de l'entreprise"), "contact@dupont.fr")
    press_and_wait(page)
    expect(page.locator(".fr-alert--success")).to_contain_text("Un code a été envoyé à l'adresse contact@dupont.fr")
    visits.check("code envoyé sur un téléphone")
