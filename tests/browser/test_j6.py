"""J6 in Debian's chromium (guide 002): the expiry alert and its countdown, "Mot de passe expiré"
with the mouse and with the keyboard alone, and the "Historique de sécurité".

The clock is not moved (Chromium keeps its own): the spaces are given the expiry dates the
scenario needs. The confirmation email comes through the real SMTP server on loopback.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from accounts.models import Space
from tests.browser.helpers import Visits, captcha_answer, field, press_and_wait, tab_to, type_into
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Une girafe mauve traverse le pont d'Avignon 2029"


def space_expiring(email: str, days_left: int) -> Space:
    """A password space whose last valid day is days_left days from today (negative: expired)."""
    space = SpaceFactory(login_email=email)
    Space.objects.filter(pk=space.pk).update(password_expires_on=clock.paris_today() + timedelta(days=days_left))
    return space


def log_in(page, email: str, password: str = STRONG_PASSWORD) -> None:
    page.goto("/")
    field(page, "Adresse électronique").fill(email)
    field(page, "Mot de passe").fill(password)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()


def confirmation_email(smtp_server, email: str) -> str:
    from mailer.worker import deliver_due

    before = len(smtp_server.messages)
    deliver_due()
    message = smtp_server.wait_for(before + 1, timeout=10)[-1]
    assert email in message.to and message.subject == "Espace professionnel - Modification du mot de passe"
    return " ".join(message.body.split())


def test_expiry_alert_countdown_and_security_history(page):
    space_expiring("alerte@exemple.fr", 7)
    visits = Visits(page)
    log_in(page, "alerte@exemple.fr")
    expect(page).to_have_url(re.compile(r"/espace/alerte-expiration$"))
    last_day = clock.long_date(clock.paris_today() + timedelta(days=7))
    expect(page.get_by_text(f"Votre mot de passe expire le {last_day} (heure de Paris).")).to_be_visible()
    visits.check("alerte d'expiration")
    page.get_by_role("link", name="OK").click()
    expect(page).to_have_url(re.compile(r"/espace$"))
    expect(page.get_by_role("heading", name="Attention, votre accès sera bloqué dans 7 jours.")).to_be_visible()
    expect(page.get_by_role("link", name="Modifier le mot de passe")).to_have_attribute(
        "href", re.compile(r"\?modifier=mot-de-passe$")
    )
    visits.check("accueil avec le décompte")
    page.get_by_role("link", name="Gérer les services").click()
    page.get_by_role("link", name="Historique de sécurité").click()
    expect(page.get_by_role("heading", name="Historique de sécurité")).to_be_visible()
    expect(page.get_by_role("cell", name="Connexion réussie")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"^Chrome sous Linux$")).first).to_be_visible()
    visits.check("historique de sécurité")


def test_expired_password_in_a_real_browser(page, smtp_settings):
    email = "expire@exemple.fr"
    space_expiring(email, -1)
    visits = Visits(page)
    log_in(page, email)
    # No session (R-EXP-2); the login just proved the email behind a captcha: straight to step 2,
    # with that email, and no second captcha (guide 002).
    expect(page).to_have_url(re.compile(r"/mot-de-passe-expire/nouveau$"))
    expect(page.get_by_role("heading", name="Mot de passe expiré")).to_be_visible()
    expect(page.get_by_text("Votre mot de passe a expiré : renouvelez-le")).to_be_visible()
    expect(page.get_by_role("heading", name="Saisie du nouveau mot de passe")).to_be_visible()
    expect(page.locator(".espace-email")).to_have_text(email)
    field(page, "Saisissez votre ancien mot de passe").fill("un mauvais mot de passe de vingt caractères")
    field(page, "Saisissez votre nouveau mot de passe").fill(NEW_PASSWORD)
    expect(page.locator("#password-level")).to_have_text(re.compile(r"^Niveau de sécurité : (Normal|Fort)$"))
    field(page, "Confirmez votre nouveau mot de passe").fill(NEW_PASSWORD)
    visits.check("mot de passe expiré : nouveau mot de passe")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("alert")).to_contain_text("ancien mot de passe est incorrect")
    page.watch.new_problems()  # the refusal's own 400 is the point here
    visits.check("mot de passe expiré : refus")
    field(page, "Saisissez votre ancien mot de passe").fill(STRONG_PASSWORD)
    field(page, "Saisissez votre nouveau mot de passe").fill(NEW_PASSWORD)
    field(page, "Confirmez votre nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Récapitulatif", exact=True)).to_be_visible()
    until = clock.long_date(Space.objects.get(login_email=email).password_expires_on)
    expect(page.get_by_text(f"Ce mot de passe est valable jusqu'au {until}.")).to_be_visible()
    visits.check("mot de passe expiré : récapitulatif")
    body = confirmation_email(smtp_settings, email)
    assert f"Celui-ci est valable jusqu'au {until}." in body and NEW_PASSWORD not in body

    page.get_by_role("link", name="Accédez à vos services en ligne").click()
    log_in(page, email, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/espace$"))
    page.watch.assert_clean("fin du parcours")


def test_expired_password_keyboard_only(page):
    email = "clavier-expire@exemple.fr"
    space_expiring(email, -1)
    page.goto("/mot-de-passe-expire")  # reachable directly, not only from the login
    type_into(page, field(page, "Saisissez votre adresse électronique de connexion"), email)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    tab_to(page, page.get_by_role("button", name="Continuer"))
    press_and_wait(page)
    type_into(page, field(page, "Saisissez votre ancien mot de passe"), STRONG_PASSWORD)
    type_into(page, field(page, "Saisissez votre nouveau mot de passe"), NEW_PASSWORD)
    type_into(page, field(page, "Confirmez votre nouveau mot de passe"), NEW_PASSWORD)
    tab_to(page, page.get_by_role("button", name="Valider"))
    press_and_wait(page)
    expect(page.get_by_text("Votre mot de passe a été réinitialisé avec succès.")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Accédez à vos services en ligne"))
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()
    page.watch.assert_clean("parcours au clavier")


def test_security_history_reads_as_stacked_rows_on_a_phone(mobile_page):
    """At 375 px each event is a block of "label : value" lines, nothing to scroll sideways."""
    page = mobile_page
    space_expiring("historique@exemple.fr", 200)
    visits = Visits(page, reflow=True)
    log_in(page, "historique@exemple.fr")
    page.goto("/espace/historique")
    cell = page.get_by_role("cell", name="Connexion réussie").first
    expect(cell).to_be_visible()
    assert cell.evaluate("(td) => getComputedStyle(td).display") == "block"
    assert cell.evaluate("(td) => getComputedStyle(td, '::before').content") == '"Événement : "'
    visits.check("historique de sécurité sur un téléphone")
