"""J18 "Gérer les comptes bancaires" (R-BANK-1) in Debian's chromium, keyboard only: from "Gérer
mon espace", add an account (form, a refused IBAN, the recap, "Confirmer"), see it "En attente
du mandat signé" with its IBAN masked, download its one-page mandate, then remove it after the
confirmation page; at 1280 px and as stacked rows at 375 px. axe-core on every page, no console
error, no CSP refusal, nothing to scroll sideways on a phone."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from catalogue.models import Service
from entreprise.models import BankAccount, MandateStatus
from tests import companies
from tests.browser.helpers import Visits, captcha_answer, field, pdf_text, press_and_wait, tab_to, type_into
from tests.factories import STRONG_PASSWORD, SpaceFactory
from tests.habilitations import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "lila.rosemonde@exemple.fr"
IBAN = "FR76 3000 6000 0112 3456 7890 189"
MASKED = "FR** **** **** **** **** ***0 189"


@pytest.fixture
def payer(transactional_db, settings, tmp_path):
    """A space titulaire of MARTIN's "Payer › TVA" (one dossier: the list at once)."""
    if not Service.objects.exists():  # a transactional test before this one flushed the catalogue
        importlib.import_module("catalogue.migrations.0002_guide_001").load(apps, None)
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    companies.add_demo_companies()
    space = SpaceFactory(login_email=EMAIL)
    builders.grant(space, companies.MARTIN, "payer_tva", name="SARL MARTIN DISTRIBUTION")
    yield space
    companies.KNOWN.clear()


def log_in(page) -> None:
    page.goto("/")
    field(page, "Adresse électronique").fill(EMAIL)
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))


def add_by_keyboard(page, visits) -> None:
    """"Gérer mon espace" → "Gérer les comptes bancaires" → the form (a wrong IBAN first) → recap → "Confirmer"."""
    page.goto("/espace/gerer")
    tab_to(page, page.get_by_role("link", name="Gérer les comptes bancaires"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Gérer les comptes bancaires")).to_be_visible()
    expect(page.get_by_text("Aucun compte bancaire n'est enregistré pour cette entreprise.")).to_be_visible()
    visits.check("comptes bancaires, liste vide")
    tab_to(page, page.get_by_role("link", name="Ajouter un compte"))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Ajouter un compte bancaire")).to_be_visible()
    visits.check("ajouter un compte")
    type_into(page, field(page, "IBAN"), IBAN[:-1] + "8")
    type_into(page, field(page, "Titulaire du compte"), "SARL MARTIN DISTRIBUTION")
    type_into(page, field(page, "Adresse du titulaire"), "10 RUE DE L'ÉGLISE")
    type_into(page, field(page, "Code postal et ville"), "25000 BESANÇON")
    tab_to(page, page.get_by_role("button", name="Continuer"))
    press_and_wait(page)
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#id_iban-desc-error")).to_have_text(
        "L'IBAN saisi est erroné (sa clé de contrôle ne correspond pas) : vérifiez votre saisie."
    )
    # The refused form answers 400 (SPEC §4), which Chromium logs: that one is the point here.
    assert all(" 400 " in problem for problem in page.watch.new_problems())
    visits.check("ajouter un compte, IBAN refusé")
    iban = field(page, "IBAN")
    tab_to(page, iban)
    page.keyboard.press("Control+A")
    page.keyboard.type(IBAN.lower())
    tab_to(page, page.get_by_role("button", name="Continuer"))
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Récapitulatif du compte")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(IBAN)
    visits.check("ajouter un compte, récapitulatif")
    tab_to(page, page.get_by_role("button", name="Confirmer"))
    press_and_wait(page)


def test_j18_add_see_pending_download_mandate_remove_at_1280(page, payer):
    visits = Visits(page)
    log_in(page)
    add_by_keyboard(page, visits)
    expect(page.locator(".fr-alert--success")).to_contain_text("Le compte bancaire a été ajouté.")
    account = BankAccount.objects.get()
    table = page.get_by_role("table", name="Comptes bancaires de l'entreprise")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["IBAN", "BIC", "Titulaire du compte", "RUM", "CORE", "Interentreprises/B2B", "Actions"]
    )
    expect(table.locator("tbody tr").first.get_by_role("cell").nth(0)).to_have_text(MASKED)
    expect(table.locator("tbody tr").first.get_by_role("cell").nth(5)).to_have_text("En attente du mandat signé")
    assert IBAN not in page.content()
    visits.check("comptes bancaires, un compte en attente")

    tab_to(page, page.get_by_role("link", name=re.compile(r"^Éditer le mandat")))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    text = pdf_text(download.value)
    assert "Mandat de prélèvement SEPA interentreprises (B2B)" in text
    assert account.rum in text and IBAN in text and "FR46ZZZ005002" in text

    tab_to(page, page.get_by_role("link", name=re.compile(r"^Supprimer le compte")))
    press_and_wait(page)
    expect(page.get_by_role("heading", level=1, name="Supprimer le compte bancaire")).to_be_visible()
    visits.check("supprimer le compte, confirmation")
    tab_to(page, page.get_by_role("button", name="Supprimer le compte"))
    press_and_wait(page)
    expect(page.locator(".fr-alert--success")).to_contain_text(f"Le compte bancaire {MASKED} a été supprimé.")
    visits.check("compte supprimé")
    account.refresh_from_db()
    assert account.b2b_status == MandateStatus.REVOKED and account.removed_at is not None
    page.watch.assert_clean("fin du parcours")


def test_j18_reads_as_stacked_rows_on_a_phone(mobile_page, payer):
    page = mobile_page
    visits = Visits(page, reflow=True)
    log_in(page)
    add_by_keyboard(page, visits)
    cell = page.get_by_role("cell", name="En attente du mandat signé")
    expect(cell).to_be_visible()
    assert cell.evaluate("(td) => getComputedStyle(td).display") == "block"
    assert cell.evaluate("(td) => getComputedStyle(td, '::before').content") == '"Interentreprises/B2B : "'
    visits.check("comptes bancaires sur un téléphone")
    page.get_by_role("link", name=re.compile(r"^Supprimer le compte")).click()
    expect(page.get_by_role("button", name="Supprimer le compte")).to_be_visible()
    visits.check("supprimer le compte sur un téléphone")
    page.watch.assert_clean("fin du parcours")
