"""J4 "Modifier mes identifiants de connexion" in Debian's chromium: each box, email and
password together (the code read from the real SMTP server), then with the keyboard alone.
Every page is checked by axe-core, the console and the CSP (tests/browser/helpers.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    Visits,
    activation_code,
    captcha_answer,
    field,
    pdf_text,
    press_and_wait,
    tab_to,
    tick,
    type_into,
)
from tests.factories import OTHER_STRONG_PASSWORD, STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "lila.rosemonde@exemple.fr"
NEW_EMAIL = "lila.nouvelle@exemple.fr"
THIRD_PASSWORD = "Trois merles chantent sur le vieux toit 1987"
QUESTION = "Quel est votre plat préféré ?"
ANSWER = "Gratin dauphinois de Mamie"


def log_in(page, email, password):
    page.goto("/")
    field(page, "Adresse électronique").fill(email)
    field(page, "Mot de passe").fill(password)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()


def open_credentials(page):
    page.get_by_role("link", name="Gérer les services").click()
    page.get_by_role("link", name="Modifier mes identifiants de connexion").click()
    expect(page.get_by_role("heading", name="Modifier mes identifiants de connexion", level=1)).to_be_visible()


def delivered(smtp_server, count):
    """Deliver the outbox to the real SMTP server; return the subjects of the last count messages."""
    from mailer.worker import deliver_due

    before = len(smtp_server.messages)
    deliver_due()
    return [m.subject.strip() for m in smtp_server.wait_for(before + count, timeout=10)[before:]]


def test_j4_each_box_then_email_and_password_together(page, smtp_settings):
    space = SpaceFactory(login_email=EMAIL)
    visits = Visits(page)
    log_in(page, EMAIL, STRONG_PASSWORD)
    expect(page).to_have_url(re.compile(r"/espace$"))
    open_credentials(page)

    # With JavaScript, each box opens its fields; the current password always shows.
    new_password = field(page, "Saisir mon nouveau mot de passe")
    expect(new_password).to_be_hidden()
    expect(field(page, "Saisir ma nouvelle adresse électronique de connexion")).to_be_hidden()
    expect(field(page, "Réponse")).to_be_hidden()
    expect(field(page, "Mot de passe actuel")).to_be_visible()
    expect(page.get_by_role("heading", name="Recommandations pour prévenir les usurpations")).to_be_visible()
    visits.check("modification")

    # 1. The password box alone
    tick(page, field(page, "Modifier mon mot de passe"))
    expect(new_password).to_be_visible()
    new_password.fill(OTHER_STRONG_PASSWORD)
    expect(page.locator("#password-level")).to_have_text(re.compile(r"^Niveau de sécurité : (Normal|Fort)$"))
    field(page, "Confirmer mon nouveau mot de passe").fill(OTHER_STRONG_PASSWORD)
    field(page, "Mot de passe actuel").fill(STRONG_PASSWORD)
    visits.check("modification : mot de passe")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Enregistrement effectué.")).to_be_visible()
    expect(page.get_by_text("Votre mot de passe a été réinitialisé avec succès.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Ce mot de passe est valable jusqu'au (?:1er|\d{1,2}) [a-zéû]+ \d{4}\."))).to_be_visible()
    visits.check("enregistrement : mot de passe")
    assert delivered(smtp_settings, 1) == ["Espace professionnel - Modification du mot de passe"]
    page.get_by_role("link", name="Retourner à la gestion de mon espace").click()
    page.get_by_role("link", name="Modifier mes identifiants de connexion").click()

    # 2. The trust question alone, then the recap shows it
    tick(page, field(page, "Modifier ma question de confiance"))
    page.get_by_role("combobox", name=re.compile("^Question")).select_option(QUESTION)
    field(page, "Réponse").fill(ANSWER)
    field(page, "Mot de passe actuel").fill(OTHER_STRONG_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    trust_done = "Votre réponse à la question de confiance a été réinitialisée avec succès."
    expect(page.get_by_text(trust_done)).to_be_visible()
    visits.check("enregistrement : question de confiance")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mon récapitulatif").click()
    text = pdf_text(download.value)
    assert QUESTION in text and ANSWER not in text
    assert delivered(smtp_settings, 1) == [
        "Espace professionnel - Modification de la réponse à la question de confiance"
    ]
    page.get_by_role("link", name="Retourner à la gestion de mon espace").click()
    page.get_by_role("link", name="Modifier mes identifiants de connexion").click()

    # 3. A refused current password, then the email and the password together
    tick(page, field(page, "Modifier mon adresse électronique"))
    tick(page, field(page, "Modifier mon mot de passe"))
    field(page, "Saisir ma nouvelle adresse électronique de connexion").fill(NEW_EMAIL)
    field(page, "Confirmer ma nouvelle adresse électronique de connexion").fill(NEW_EMAIL)
    field(page, "Saisir mon nouveau mot de passe").fill(THIRD_PASSWORD)
    field(page, "Confirmer mon nouveau mot de passe").fill(THIRD_PASSWORD)
    field(page, "Mot de passe actuel").fill("ce n'est pas le mot de passe actuel")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator(".fr-error-text", has_text="Le mot de passe actuel est incorrect")).to_be_visible()
    # The refused form answers 400 (SPEC §4), which Chromium logs: that one is the point here.
    assert all(" 400 " in problem for problem in page.watch.new_problems())
    # The ticked boxes stay open on the refused page; the secrets are never sent back.
    expect(field(page, "Saisir ma nouvelle adresse électronique de connexion")).to_have_value(NEW_EMAIL)
    expect(field(page, "Saisir mon nouveau mot de passe")).to_have_value("")
    visits.check("modification refusée")
    field(page, "Saisir mon nouveau mot de passe").fill(THIRD_PASSWORD)
    field(page, "Confirmer mon nouveau mot de passe").fill(THIRD_PASSWORD)
    field(page, "Mot de passe actuel").fill(OTHER_STRONG_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    sent = f"Un code d'activation a été envoyé à l'adresse électronique suivante : {NEW_EMAIL}"
    expect(page.get_by_text(sent)).to_be_visible()
    visits.check("enregistrement : code envoyé")
    page.get_by_role("button", name="Fermer").click()  # the guide: log out first
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()

    # Activation with the code read from the real SMTP server
    code = activation_code(smtp_settings, NEW_EMAIL)
    page.get_by_role("link", name="Activer").click()
    field(page, "Saisissez le code d'activation").fill(code)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Continuer").click()
    field(page, "Saisissez votre adresse électronique de connexion").fill(NEW_EMAIL)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text(re.compile(f"sous le numéro {space.subscriber_number}"))).to_be_visible()
    expect(page.get_by_text(NEW_EMAIL)).to_be_visible()
    visits.check("activation : nouvelle adresse")
    assert delivered(smtp_settings, 1) == ["Espace professionnel - Modification de l'adresse électronique de connexion"]

    # The old email is refused; the new one logs in with the new password
    log_in(page, EMAIL, OTHER_STRONG_PASSWORD)
    expect(page.get_by_text("L'adresse électronique ou le mot de passe est incorrect")).to_be_visible()
    assert all(" 400 " in problem for problem in page.watch.new_problems())  # the refusal's own status
    log_in(page, NEW_EMAIL, THIRD_PASSWORD)
    expect(page).to_have_url(re.compile(r"/espace$"))
    page.watch.assert_clean("fin du parcours")


def test_j4_keyboard_only(page, smtp_settings):
    """Log in, reach the page, tick the password box, type and validate: no mouse at all."""
    SpaceFactory(login_email=EMAIL)
    keyboard = page.keyboard
    page.goto("/")
    type_into(page, field(page, "Adresse électronique"), EMAIL)
    type_into(page, field(page, "Mot de passe"), STRONG_PASSWORD)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)
    tab_to(page, page.get_by_role("link", name="Gérer les services"))
    press_and_wait(page)
    tab_to(page, page.get_by_role("link", name="Modifier mes identifiants de connexion"))
    press_and_wait(page)

    box = field(page, "Modifier mon mot de passe")
    tab_to(page, box)
    keyboard.press("Space")
    expect(box).to_be_checked()
    expect(box).to_have_attribute("aria-expanded", "true")
    type_into(page, field(page, "Saisir mon nouveau mot de passe"), OTHER_STRONG_PASSWORD)
    type_into(page, field(page, "Confirmer mon nouveau mot de passe"), OTHER_STRONG_PASSWORD)
    type_into(page, field(page, "Mot de passe actuel"), STRONG_PASSWORD)
    tab_to(page, page.get_by_role("button", name="Valider"))
    press_and_wait(page)
    expect(page.get_by_text("Votre mot de passe a été réinitialisé avec succès.")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Retourner à la gestion de mon espace"))
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Gérer mon espace", exact=True)).to_be_visible()
    page.watch.assert_clean("parcours au clavier")
