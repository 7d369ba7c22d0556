"""J5 "Mot de passe oublié ?" in Debian's chromium: with the mouse, then with the keyboard alone.

The code comes from the real SMTP server on loopback; every page is checked by axe-core and
has no console error or CSP refusal.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    CODE_LINE,
    Visits,
    captcha_answer,
    field,
    press_and_wait,
    tab_to,
    type_into,
)
from tests.factories import STRONG_PASSWORD, TRUST_ANSWER, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Trois moineaux picorent le pain rassis 58"
SENT = "Si un espace est associé à cette adresse, un courriel vous a été envoyé."
VALID_UNTIL = re.compile(r"Ce mot de passe est valable jusqu'au (?:1er|\d{1,2}) [a-zéû]+ \d{4}\.")


def reset_code(smtp_server, email: str) -> str:
    """Deliver the outbox to the real SMTP server and read the reset code sent to email."""
    from mailer.worker import deliver_due

    before = len(smtp_server.messages)
    deliver_due()
    received = smtp_server.wait_for(before + 1, timeout=10)
    mails = [m for m in received if email in m.to and m.subject == "Espace professionnel - Mot de passe oublié"]
    assert mails, f"aucun code pour {email} parmi {[(m.to, m.subject) for m in received]}"
    return CODE_LINE.findall(mails[-1].body)[0]


def confirmation_subject(smtp_server, email: str) -> str:
    from mailer.worker import deliver_due

    before = len(smtp_server.messages)
    deliver_due()
    return [m.subject for m in smtp_server.wait_for(before + 1, timeout=10) if email in m.to][-1]


def refused_page_only(page) -> None:
    """A refusal is a 400 document (SPEC §4): the console line it causes is the only problem allowed."""
    problems = page.watch.new_problems()
    assert all("status of 400" in problem for problem in problems), problems


def test_j5_forgotten_password_in_a_real_browser(page, smtp_settings):
    space = SpaceFactory(login_email="oubli@exemple.fr")
    visits = Visits(page)
    page.goto("/")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    expect(page.get_by_role("heading", name="Mot de passe oublié", exact=True)).to_be_visible()
    visits.check("adresse électronique")
    field(page, "Adresse électronique").fill(space.login_email)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_text(SENT)).to_be_visible()
    expect(page.get_by_text(space.trust_question)).to_have_count(0)
    expect(field(page, "Adresse électronique")).to_have_value(space.login_email)
    visits.check("code reçu")
    code = reset_code(smtp_settings, space.login_email)
    field(page, "Code reçu par courriel").fill(code)
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_text(space.trust_question)).to_be_visible()
    expect(field(page, "Code reçu par courriel")).to_have_value(code)
    visits.check("nouveau mot de passe")
    field(page, "Réponse").fill("Pas la bonne")
    field(page, "Saisissez votre nouveau mot de passe").fill(NEW_PASSWORD)
    field(page, "Confirmez votre nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".fr-error-text", has_text="La réponse à la question de confiance est incorrecte.")).to_be_visible()
    refused_page_only(page)
    visits.check("réponse refusée")

    field(page, "Réponse").fill(TRUST_ANSWER)
    field(page, "Saisissez votre nouveau mot de passe").fill(NEW_PASSWORD)
    field(page, "Confirmez votre nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Votre mot de passe a été réinitialisé avec succès.")).to_be_visible()
    expect(page.get_by_text(VALID_UNTIL)).to_be_visible()
    visits.check("récapitulatif")
    subject = confirmation_subject(smtp_settings, space.login_email)
    assert subject == "Espace professionnel - Modification du mot de passe"

    page.get_by_role("link", name="Accédez à vos services en ligne").click()
    field(page, "Adresse électronique").fill(space.login_email)
    field(page, "Mot de passe").fill(NEW_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))
    page.watch.assert_clean("fin du parcours")


def test_j5_keyboard_only(page, smtp_settings):
    space = SpaceFactory(login_email="clavier.oubli@exemple.fr")
    page.goto("/")
    tab_to(page, page.get_by_role("link", name="Mot de passe oublié ?"))
    press_and_wait(page)
    type_into(page, field(page, "Adresse électronique"), space.login_email)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)

    expect(page.get_by_text(SENT)).to_be_visible()
    type_into(page, field(page, "Code reçu par courriel"), reset_code(smtp_settings, space.login_email))
    press_and_wait(page)

    expect(page.get_by_text(space.trust_question)).to_be_visible()
    type_into(page, field(page, "Réponse"), TRUST_ANSWER)
    type_into(page, field(page, "Saisissez votre nouveau mot de passe"), NEW_PASSWORD)
    type_into(page, field(page, "Confirmez votre nouveau mot de passe"), NEW_PASSWORD)
    tab_to(page, page.get_by_role("button", name="Valider"))
    press_and_wait(page)

    expect(page.get_by_text("Votre mot de passe a été réinitialisé avec succès.")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Accédez à vos services en ligne"))
    press_and_wait(page)
    type_into(page, field(page, "Adresse électronique"), space.login_email)
    type_into(page, field(page, "Mot de passe"), STRONG_PASSWORD)  # the old one: refused now
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)
    expect(page.get_by_text(re.compile("mot de passe est incorrect"))).to_be_visible()
    refused_page_only(page)
    page.watch.assert_clean("fin du parcours au clavier")
