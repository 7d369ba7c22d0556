"""J1 → J2 → J3 in Debian's chromium, as a new user would, by labels; then by keyboard only.

The code is read from a real SMTP server (aiosmtpd on loopback), the PDF is read back with
pypdf, and axe-core checks every page (no serious or critical violation).
"""

import re

import pytest
from playwright.sync_api import expect

from registre.models import Company
from tests.e2e import helpers
from tests.factories import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ANSWER = "Rex le Chien"


def label(page, text):
    """The field whose label starts with text (labels also hold their hint)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(text)))


def test_j1_j2_j3_in_a_real_browser(page, smtp_settings):
    email = "lila.rosemonde@exemple.fr"
    Company.objects.create(siren="732829320", name="MARTIN DISTRIBUTION")
    # J3 login page → J1
    page.goto("/")
    expect(page.get_by_text("Il doit comporter 20 caractères minimum.")).to_be_visible()
    helpers.check_page(page)
    page.get_by_role("link", name="Créer votre espace professionnel").click()
    helpers.check_page(page)
    page.get_by_role("link", name="1ère étape : Créez votre espace (mode expert)").click()
    helpers.check_page(page)
    page.get_by_text("Je reconnais avoir pris connaissance").click()
    page.get_by_role("button", name="Valider").click()

    # Step 2: identifiants, with the live strength level
    label(page, "Votre adresse électronique").fill(email)
    label(page, "Confirmer votre adresse électronique").fill(email)
    label(page, "Votre mot de passe").fill("motdepasse")
    expect(page.locator("#password-level")).to_have_text("Niveau de sécurité : Faible et non autorisé")
    label(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    expect(page.locator("#password-level")).to_have_text(re.compile(r"Niveau de sécurité : (Normal|Fort)"))
    label(page, "Confirmer votre mot de passe").fill(STRONG_PASSWORD)
    helpers.check_page(page)
    page.get_by_role("button", name="Valider").click()

    # Step 3: the registration form
    expect(label(page, "Adresse électronique")).to_have_value(email)
    page.get_by_label("Madame").check()
    label(page, "Nom").fill("Rosemonde")
    label(page, "Prénom").fill("Lila")
    label(page, "S.I.R.E.N ou équivalent").fill("732 829 320")
    label(page, "Numéro de téléphone").fill("01 24 57 88 77")
    label(page, "Ville").fill("Paris")
    expect(label(page, "Pays")).to_have_value("FRANCE")
    label(page, "Question").select_option("Le nom de votre animal de compagnie ?")
    label(page, "Réponse").fill(ANSWER)
    helpers.check_page(page)
    page.get_by_role("button", name="Valider").click()

    # Step 4: the summary, then Confirmer
    expect(page.get_by_text("MARTIN DISTRIBUTION")).to_be_visible()
    expect(page.get_by_text("732 829 320")).to_be_visible()
    assert ANSWER not in page.content()
    helpers.check_page(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Activation de votre espace abonné")).to_be_visible()
    helpers.check_page(page)

    # J2: the code from the mailbox
    code = helpers.activation_code(smtp_settings, email)
    page.get_by_role("link", name="Activez votre espace abonné").click()
    label(page, "Saisissez le code d'activation").fill(code)
    label(page, "Recopiez les caractères de l'image").fill(helpers.captcha_answer(page))
    helpers.check_page(page)
    page.get_by_role("button", name="Continuer").click()
    expect(label(page, "Code d'activation")).to_have_value(code)
    label(page, "Saisissez votre adresse électronique de connexion").fill(email)
    helpers.check_page(page)
    page.get_by_role("button", name="Continuer").click()
    confirmation = page.get_by_text(re.compile(r"Votre inscription a été réalisée le .* sous le numéro \d{14}"))
    expect(confirmation).to_be_visible()
    number = re.search(r"\d{14}", confirmation.inner_text()).group(0)
    helpers.check_page(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Sauvegardez ou imprimez le récapitulatif").click()
    text = helpers.pdf_text(download.value)
    assert number in text and "ROSEMONDE" in text and "Le nom de votre animal de compagnie ?" in text
    assert ANSWER not in text

    # J3: log in, home, Gérer mon espace, log out
    page.get_by_role("link", name="Accédez à vos services en ligne").click()
    label(page, "Adresse électronique").fill(email)
    page.locator("#id_password").fill(STRONG_PASSWORD)
    label(page, "Recopiez les caractères de l'image").fill(helpers.captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Mme ROSEMONDE Lila")).to_be_visible()
    expect(page.get_by_text(f"Abonné : {number}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Expiration du mot de passe : \d{2}/\d{2}/\d{4}"))).to_be_visible()
    expect(page.get_by_text("Vous avez créé votre espace professionnel")).to_be_visible()
    helpers.check_page(page)
    page.get_by_role("link", name="Gérer les services").click()
    for block in ("Services", "Données personnelles", "Partage des services", "Données de l'entreprise"):
        expect(page.get_by_role("heading", name=block, exact=True)).to_be_visible()
    helpers.check_page(page)
    page.get_by_role("button", name="Me déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()
    page.goto("/espace")
    expect(page).to_have_url(re.compile(r"/$"))


def test_keyboard_only_journey(page, smtp_settings):
    """The same journey with Tab, Space, arrows, typing and Enter only: no mouse."""
    email = "clavier@exemple.fr"
    keys = page.keyboard
    page.goto("/")
    helpers.tab_to(page, "Créer votre espace professionnel")
    helpers.follow(page, "Enter")
    helpers.tab_to(page, "1ère étape : Créez votre espace (mode expert)")
    helpers.follow(page, "Enter")
    helpers.tab_to(page, "Je reconnais avoir pris connaissance")
    keys.press("Space")
    helpers.tab_to(page, "Valider")
    helpers.follow(page, "Enter")

    helpers.type_into(page, "Votre adresse électronique", email)
    helpers.type_into(page, "Confirmer votre adresse électronique", email)
    helpers.type_into(page, "Votre mot de passe", STRONG_PASSWORD)
    helpers.type_into(page, "Confirmer votre mot de passe", STRONG_PASSWORD)
    expect(page.locator("#password-level")).to_have_text(re.compile(r"Niveau de sécurité : (Normal|Fort)"))
    helpers.follow(page, "Enter")

    helpers.tab_to(page, "Madame")
    keys.press("Space")
    helpers.type_into(page, "Nom", "Clavier")
    helpers.type_into(page, "Prénom", "Zoé")
    helpers.type_into(page, "S.I.R.E.N ou équivalent", "732829320")
    helpers.type_into(page, "Numéro de téléphone", "0124578877")
    helpers.type_into(page, "Ville", "Besançon")
    helpers.type_into(page, "Réponse", ANSWER)
    helpers.tab_to(page, "Valider")
    helpers.follow(page, "Enter")
    helpers.tab_to(page, "Confirmer")
    helpers.follow(page, "Enter")
    expect(page.get_by_role("heading", name="Activation de votre espace abonné")).to_be_visible()

    code = helpers.activation_code(smtp_settings, email)
    helpers.tab_to(page, "Activez votre espace abonné")
    helpers.follow(page, "Enter")
    helpers.type_into(page, "Saisissez le code d'activation", code)
    helpers.type_into(page, "Recopiez les caractères de l'image", helpers.captcha_answer(page))
    helpers.follow(page, "Enter")
    helpers.type_into(page, "Saisissez votre adresse électronique de connexion", email)
    helpers.follow(page, "Enter")
    expect(page.get_by_text(re.compile(r"sous le numéro \d{14}"))).to_be_visible()
    helpers.tab_to(page, "Sauvegardez ou imprimez le récapitulatif")
    with page.expect_download() as download:
        keys.press("Enter")
    assert "CLAVIER" in helpers.pdf_text(download.value)
    helpers.tab_to(page, "Accédez à vos services en ligne")
    helpers.follow(page, "Enter")

    helpers.type_into(page, "Adresse électronique", email)
    helpers.type_into(page, "Mot de passe", STRONG_PASSWORD)
    helpers.type_into(page, "Recopiez les caractères de l'image", helpers.captcha_answer(page))
    helpers.follow(page, "Enter")
    expect(page.get_by_text("Mme CLAVIER Zoé")).to_be_visible()
    helpers.tab_to(page, "Gérer les services")
    helpers.follow(page, "Enter")
    expect(page.get_by_role("heading", name="Gérer mon espace")).to_be_visible()
    helpers.tab_to(page, "Me déconnecter")
    helpers.follow(page, "Enter")
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()


@pytest.mark.parametrize("path", ["/", "/creation", "/activation"])
def test_mobile_width_pages(page, path):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(path)
    helpers.check_page(page)


def test_mobile_width_registration_form(page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/creation/conditions-generales?mode=expert")
    page.get_by_text("Je reconnais avoir pris connaissance").click()
    page.get_by_role("button", name="Valider").click()
    label(page, "Votre adresse électronique").fill("mobile@exemple.fr")
    label(page, "Confirmer votre adresse électronique").fill("mobile@exemple.fr")
    label(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    label(page, "Confirmer votre mot de passe").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    expect(label(page, "Nom")).to_be_visible()
    helpers.check_page(page)
