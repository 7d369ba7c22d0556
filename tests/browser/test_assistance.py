"""The assistance console (R-AST-1) in Debian's chromium, keyboard only, at 1280 and 375 px: an
agent created by the command enrols its password and TOTP (the test computes the code from the
key the page shows), finds a locked-out space, lifts its delay with a reason; the user then logs
in. axe-core on every page, no console error, no CSP refusal, nothing to scroll sideways.
"""

import io
import re

import pyotp
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.throttle import Throttle
from tests.browser.helpers import Visits, captcha_answer, field, press_and_wait, tab_to, type_into
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "lila.rosemonde@exemple.fr"
AGENT_PASSWORD = "Le phare de Cordouan veille sur la Gironde 1611"


@pytest.fixture
def locked(transactional_db, settings):
    """A space whose logins are blocked, as 5 wrong passwords leave it (core.throttle)."""
    space = SpaceFactory(login_email=EMAIL)
    throttle = Throttle.default()
    for _ in range(settings.THROTTLE_POLICIES["account_failures"]["free_failures"]):
        throttle.failed(account=EMAIL, address="198.51.100.9")
    return space


def enrolment_link() -> str:
    out = io.StringIO()
    call_command("create_agent", "agent.martin@dgfip.exemple.fr", "Claire Martin", stdout=out)
    return re.search(r"/assistance/enrolement/\S+", out.getvalue()).group(0)


def console_journey(page, space, visits) -> None:
    page.goto(enrolment_link())
    expect(page.get_by_role("heading", level=1, name="Choisir votre mot de passe d'agent")).to_be_visible()
    visits.check("enrôlement : mot de passe")
    type_into(page, field(page, "Mot de passe"), AGENT_PASSWORD)
    type_into(page, field(page, "Confirmation du mot de passe"), AGENT_PASSWORD)
    tab_to(page, page.get_by_role("button", name="Enregistrer le mot de passe"))
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1, name="Enregistrer le second facteur")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Code QR du second facteur"))).to_be_visible()
    visits.check("enrôlement : second facteur")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    type_into(page, field(page, "Code à 6 chiffres"), pyotp.TOTP(secret).now())
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1, name="Vos codes de secours")).to_be_visible()
    expect(page.get_by_role("list", name="Codes de secours").get_by_role("listitem")).to_have_count(10)
    visits.check("codes de secours")
    tab_to(page, page.get_by_role("link", name="Accéder à la console"))
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1, name="Rechercher un espace")).to_be_visible()
    type_into(page, field(page, "Rechercher un espace"), space.subscriber_number)
    press_and_wait(page)
    visits.check("recherche")
    tab_to(page, page.get_by_role("link", name=space.subscriber_number))
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1, name=f"Espace {space.subscriber_number}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Connexion bloquée jusqu'au"))).to_be_visible()
    visits.check("un espace bloqué")
    tab_to(page, page.get_by_role("link", name="Lever le délai de connexion"))
    press_and_wait(page)

    expect(page.get_by_role("heading", level=1, name="Lever le délai de connexion")).to_be_visible()
    visits.check("lever le délai : motif")
    type_into(page, field(page, "Motif"), "Appel de l'usager, identité vérifiée")
    tab_to(page, page.get_by_role("button", name="Lever le délai de connexion"))
    press_and_wait(page)

    expect(page.locator(".fr-alert--success")).to_contain_text("Le délai de connexion de cet espace est levé")
    expect(page.get_by_text("Aucun délai en cours, aucun échec récent.")).to_be_visible()
    visits.check("délai levé")
    tab_to(page, page.get_by_role("link", name="Historique de sécurité de cet espace"))
    press_and_wait(page)
    expect(page.get_by_role("cell", name="Action de l'assistance")).to_be_visible()
    visits.check("historique de sécurité de l'espace")
    tab_to(page, page.get_by_role("link", name="Historique des actions des agents"))
    press_and_wait(page)
    expect(page.get_by_role("cell", name="Appel de l'usager, identité vérifiée")).to_be_visible()
    visits.check("historique des actions des agents")


def user_logs_in(page) -> None:
    page.goto("/")
    field(page, "Adresse électronique").fill(EMAIL)
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))


def test_r_ast_1_agent_enrols_and_lifts_a_delay_at_1280(page, locked):
    visits = Visits(page)
    console_journey(page, locked, visits)
    user_logs_in(page)
    page.watch.assert_clean("fin du parcours")


def test_r_ast_1_agent_enrols_and_lifts_a_delay_at_375(mobile_page, locked):
    visits = Visits(mobile_page, reflow=True)
    console_journey(mobile_page, locked, visits)
    user_logs_in(mobile_page)
    mobile_page.watch.assert_clean("fin du parcours")
