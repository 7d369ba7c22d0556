"""J11 "Consulter mes services (habilitations)" in Debian's chromium (R-HAB-1, R-ADH-3): the table
at 1280 px and as stacked rows at 375 px, the pending request sent again then cancelled after
its confirmation; axe-core on every page, no console error, no CSP refusal, nothing to scroll
sideways on a phone.
"""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from playwright.sync_api import expect

from catalogue.models import Service
from core import clock
from dossiers.services.dossiers import open_dossier
from habilitations.models import AdhesionRequest, Habilitation, Role
from habilitations.services import adhesion
from tests import companies
from tests.browser.helpers import Visits, captcha_answer, field
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "lila.rosemonde@exemple.fr"


@pytest.fixture
def holdings(transactional_db, settings, tmp_path):
    """A space titulaire of two MARTIN services, délégataire of one of DUPONT's, with one ended
    habilitation and one request waiting for its letter's code."""
    if not Service.objects.exists():  # a transactional test before this one flushed the catalogue
        importlib.import_module("catalogue.migrations.0002_guide_001").load(apps, None)
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    companies.add_demo_companies()
    now = clock.now()
    space = SpaceFactory(login_email=EMAIL)
    grantor = SpaceFactory(last_name="Dupont", first_name="Jean-Édouard")
    martin = open_dossier(siren=companies.MARTIN, name="SARL MARTIN DISTRIBUTION", now=now)
    dupont = open_dossier(siren=companies.DUPONT, name="DUPONT ET FILS", now=now)
    for code in ("consulter_compte_fiscal", "declarer_tva"):
        Habilitation.objects.create(
            space=space, dossier=martin, service=Service.objects.get(code=code), role=Role.TITULAIRE, started_at=now
        )
    Habilitation.objects.create(
        space=space,
        dossier=dupont,
        service=Service.objects.get(code="payer_cfe"),
        role=Role.DELEGATAIRE,
        granted_by=grantor,
        started_at=now - timedelta(days=40),
        ends_on=clock.paris_today() + timedelta(days=200),
    )
    Habilitation.objects.create(
        space=space,
        dossier=dupont,
        service=Service.objects.get(code="declarer_is"),
        role=Role.DELEGATAIRE,
        granted_by=grantor,
        started_at=now - timedelta(days=80),
        ended_at=now - timedelta(days=3),
    )
    adhesion.request_adhesion(
        space=space,
        siren=companies.DUPONT,
        statut="representant_legal",
        service_codes=["declarer_tva", "payer_tva", "demarches_remboursement_tva_ue"],
        now=now,
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


def test_j11_table_then_resend_then_cancel_at_1280(page, holdings):
    visits = Visits(page)
    log_in(page)
    page.goto("/espace/gerer")
    page.get_by_role("link", name="Consulter mes services (habilitations)").click()
    expect(page.get_by_role("heading", level=1, name="Consulter mes services (habilitations)")).to_be_visible()
    table = page.get_by_role("table", name=re.compile(r"^Mes habilitations"))
    expect(table.get_by_role("columnheader")).to_have_text(["Dossier", "Service", "Rôle", "État", "Depuis", "Accordée par"])
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).get_by_role("cell")).to_have_text(
        [
            "552 081 317 DUPONT ET FILS",
            "Payer › CFE et autres impôts",
            "Délégataire",
            re.compile(r"^Active jusqu'au "),
            clock.long_date(clock.now() - timedelta(days=40)),
            re.compile(r"^DUPONT Jean-Édouard \(abonné \d{14}\)$"),
        ]
    )
    expect(rows.nth(1).get_by_role("cell").nth(5)).to_have_text("l'administration (courrier)")
    ended = page.get_by_role("table", name=re.compile(r"^Habilitations terminées"))
    expect(ended.locator("tbody tr")).to_have_count(1)
    expect(ended.get_by_role("cell", name="Déclarer › Impôt sur les sociétés")).to_be_visible()
    request = page.get_by_role("region", name=re.compile(r"^DUPONT ET FILS \(SIREN 552 081 317\)"))
    deadline = clock.long_date(AdhesionRequest.objects.get().expires_at)
    expect(request.get_by_text(f"Code valable jusqu'au {deadline}.")).to_be_visible()
    expect(request.get_by_role("listitem").filter(has_text="›")).to_have_text(
        ["Déclarer › TVA", "Payer › TVA", "Démarches › Remboursement de TVA UE"]
    )
    visits.check("consulter mes services")

    request.get_by_role("button", name="Renvoyer le courrier").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Un nouveau courrier a été envoyé au siège de DUPONT ET FILS")
    expect(request.get_by_text(re.compile(r"^Le courrier a été renvoyé le .* : il ne peut pas être renvoyé"))).to_be_visible()
    expect(request.get_by_role("button", name="Renvoyer le courrier")).to_have_count(0)
    visits.check("courrier renvoyé")

    request.get_by_role("button", name="Annuler la demande").click()
    expect(page.get_by_role("heading", level=1, name="Annuler la demande d'adhésion")).to_be_visible()
    expect(page.get_by_text("Le code du courrier ne fonctionnera plus")).to_be_visible()
    visits.check("confirmation de l'annulation")
    page.get_by_role("link", name="Ne pas annuler").click()
    expect(page.get_by_role("region", name=re.compile(r"^DUPONT ET FILS"))).to_be_visible()
    page.get_by_role("button", name="Annuler la demande").click()
    page.get_by_role("button", name="Confirmer l'annulation").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("est annulée : le code du courrier n'est plus valable")
    expect(page.get_by_text("Aucune demande d'adhésion en attente.")).to_be_visible()
    visits.check("demande annulée")
    assert AdhesionRequest.objects.get().state == AdhesionRequest.State.CANCELLED
    page.watch.assert_clean("fin du parcours")


def test_j11_reads_as_stacked_rows_on_a_phone(mobile_page, holdings):
    page = mobile_page
    visits = Visits(page, reflow=True)
    log_in(page)
    page.goto("/espace/services/habilitations")
    cell = page.get_by_role("cell", name="Payer › CFE et autres impôts")
    expect(cell).to_be_visible()
    assert cell.evaluate("(td) => getComputedStyle(td).display") == "block"
    assert cell.evaluate("(td) => getComputedStyle(td, '::before').content") == '"Service : "'
    granted = page.get_by_role("cell", name=re.compile(r"DUPONT Jean-Édouard")).first
    assert granted.evaluate("(td) => getComputedStyle(td, '::before').content") == '"Accordée par : "'
    visits.check("consulter mes services sur un téléphone")
    page.get_by_role("button", name="Annuler la demande").click()
    expect(page.get_by_role("button", name="Confirmer l'annulation")).to_be_visible()
    visits.check("confirmation de l'annulation sur un téléphone")
