"""J1 → J2 → J3 in Debian's chromium, as a new professional does it: by labels with the mouse,
then with the keyboard alone, then at a phone's width.

No test mode anywhere: the captcha is read through antirobot.testing, the activation code
comes from a real SMTP server on loopback (aiosmtpd), the recap PDF is read back with pypdf.
Every page visited is checked by axe-core (no serious or critical violation), and has no
JavaScript error, no console error and no CSP refusal (SPEC §4 Accessibility, Security).
"""

import re

import pytest
from playwright.sync_api import expect

from registre.models import Company
from tests.browser.helpers import (
    Visits,
    activation_code,
    captcha_answer,
    field,
    focused,
    has_focus,
    pdf_text,
    press_and_wait,
    tab_to,
    tick,
    type_into,
)
from tests.factories import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPANY = "MARTIN DISTRIBUTION"
QUESTION = "Le nom de votre animal de compagnie ?"
ANSWER = "Rex le Chien"
NUMBER = re.compile(r"sous le numéro (\d{14})")
EXPECTED_PAGES = [
    "connexion",
    "choix du mode",
    "conditions générales",
    "identifiants",
    "formulaire d'inscription",
    "votre inscription",
    "code envoyé",
    "code d'activation",
    "adresse de connexion",
    "inscription réalisée",
    "accueil de l'espace",
    "gérer mon espace",
]


@pytest.fixture
def company(transactional_db):
    return Company.objects.create(siren="732829320", name=COMPANY)


LILA = {
    "email": "lila.rosemonde@exemple.fr",
    "civility": "Madame",
    "last_name": "Rosemonde",
    "first_name": "Lila",
    "phone": "01 24 57 88 77",
    "city": "Paris",
    "shown": "Mme ROSEMONDE Lila",
}
# A long (valid, ≤ 100 characters) address and long names, as an accountant's can be.
MARIE_CHRISTINE = {
    "email": "marie-christine.de-la-fontaine-saint-aubin@cabinet-expertise-comptable-exemple.fr",
    "civility": "Monsieur",
    "last_name": "de la Fontaine-Saint-Aubin",
    "first_name": "Marie-Christine",
    "phone": "+32 2 555 12 12",
    "city": "Saint-Rémy-de-Provence",
    "shown": "M. DE LA FONTAINE-SAINT-AUBIN Marie-Christine",
}


def walk_the_journey(page, smtp_server, visits: Visits, person: dict) -> None:
    """J1 (expert) → J2 → J3 with the mouse, finding every control by its label or role."""
    email = person["email"]

    # J3's login page → J1
    page.goto("/")
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()
    expect(page.get_by_text("Il doit comporter 20 caractères minimum.")).to_be_visible()
    visits.check("connexion")
    page.get_by_role("link", name="Créer votre espace professionnel").click()

    # J1.1 choice page
    expect(page).to_have_url(re.compile(r"/creation$"))
    visits.check("choix du mode")
    page.get_by_role("link", name="1ère étape : Créez votre espace (mode expert)").click()

    # J1.2 conditions générales
    expect(page.get_by_role("heading", name="1ère étape : acceptez les conditions générales")).to_be_visible()
    expect(page.get_by_role("link", name="Lire les conditions générales")).to_be_visible()
    visits.check("conditions générales")
    tick(page, field(page, "Je reconnais avoir pris connaissance"))
    page.get_by_role("button", name="Valider").click()

    # J1.3 identifiants, with the live strength level (fetch to /mot-de-passe/niveau)
    expect(page.get_by_role("heading", name="2ème étape : créez vos identifiants")).to_be_visible()
    level = page.locator("#password-level")
    expect(level).to_have_text("Niveau de sécurité de votre mot de passe")  # guide 002, before typing
    # Guide 001's advice beside the new password, not the 2011 "Notez votre mot de passe".
    expect(page.get_by_role("heading", name="Recommandations pour prévenir les usurpations")).to_be_visible()
    expect(page.get_by_text("ne l'écrivez jamais")).to_be_visible()
    expect(page.get_by_text("Notez votre mot de passe")).to_have_count(0)
    field(page, "Votre adresse électronique").fill(email)
    field(page, "Confirmer votre adresse électronique").fill(email)
    with page.expect_response(re.compile(r"/mot-de-passe/niveau$")) as answer:
        field(page, "Votre mot de passe").fill("motdepasse")
    assert answer.value.ok
    expect(level).to_have_text("Niveau de sécurité : Faible et non autorisé")
    field(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    expect(level).to_have_text(re.compile(r"^Niveau de sécurité : (Normal|Fort)$"))
    field(page, "Confirmer votre mot de passe").fill(STRONG_PASSWORD)
    visits.check("identifiants")
    page.get_by_role("button", name="Valider").click()

    # J1.4 formulaire d'inscription
    expect(page.get_by_role("heading", name="3ème étape : remplissez votre formulaire d'inscription")).to_be_visible()
    expect(field(page, "Adresse électronique")).to_have_value(email)
    expect(field(page, "Adresse électronique")).to_be_disabled()
    expect(field(page, "Pays")).to_have_value("FRANCE")
    expect(field(page, "Question")).to_have_value("Quel est votre surnom ?")  # R-TRUST-1 default
    tick(page, page.get_by_role("radio", name=person["civility"]))
    field(page, "Nom").fill(person["last_name"])
    field(page, "Prénom").fill(person["first_name"])
    field(page, "S.I.R.E.N ou équivalent").fill("732 829 320")
    field(page, "Numéro de téléphone").fill(person["phone"])
    field(page, "Ville").fill(person["city"])
    field(page, "Question").select_option(QUESTION)
    field(page, "Réponse").fill(ANSWER)
    visits.check("formulaire d'inscription")
    page.get_by_role("button", name="Valider").click()

    # J1.5 Votre inscription: what was typed, with the raison sociale, never the answer
    expect(page.get_by_role("heading", name="Votre inscription")).to_be_visible()
    main = page.get_by_role("main")
    for shown in (person["civility"], person["last_name"].upper(), person["first_name"], "732 829 320", COMPANY):
        expect(main).to_contain_text(shown)
    for shown in (email, person["city"], "FRANCE", QUESTION):
        expect(main).to_contain_text(shown)
    assert ANSWER not in page.content()
    visits.check("votre inscription")
    page.get_by_role("button", name="Confirmer").click()

    # J1.6 code sent
    expect(page.get_by_role("heading", name="Activation de votre espace abonné")).to_be_visible()
    expect(main).to_contain_text(email)
    visits.check("code envoyé")

    # J2 with the code a person reads in the mailbox
    code = activation_code(smtp_server, email)
    page.get_by_role("link", name="Activez votre espace abonné").click()
    expect(page.get_by_role("heading", name="Activez votre espace ou vos services")).to_be_visible()
    captcha_image = page.get_by_role("img", name=re.compile("^Image de vérification"))
    expect(captcha_image).to_have_js_property("complete", True)
    assert captcha_image.evaluate("img => img.naturalWidth") > 0, "l'image du captcha ne s'affiche pas"
    visits.check("code d'activation")
    field(page, "Saisissez le code d'activation").fill(code)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Continuer").click()

    expect(field(page, "Code d'activation")).to_have_value(code)
    visits.check("adresse de connexion")
    field(page, "Saisissez votre adresse électronique de connexion").fill(email)
    page.get_by_role("button", name="Continuer").click()

    confirmation = page.get_by_text(re.compile(r"Votre inscription a été réalisée le .+ sous le numéro \d{14}"))
    expect(confirmation).to_be_visible()
    expect(page.get_by_text("Ce numéro d'abonné vous est personnel et doit le rester.")).to_be_visible()
    number = NUMBER.search(confirmation.inner_text()).group(1)
    visits.check("inscription réalisée")
    with page.expect_download() as download:
        page.get_by_role("link", name="Sauvegardez ou imprimez le récapitulatif").click()
    text = pdf_text(download.value)
    for expected in (number, person["last_name"].upper(), person["first_name"], QUESTION, COMPANY):
        assert expected in text, f"{expected!r} absent du récapitulatif : {text}"
    assert email in text.replace(" ", ""), f"{email!r} absent du récapitulatif : {text}"
    assert ANSWER not in text, "la réponse de confiance ne doit pas figurer dans le récapitulatif (R-TRUST-2)"

    # J3: log in, home, Gérer mon espace, log out
    page.get_by_role("link", name="Accédez à vos services en ligne").click()
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()
    field(page, "Adresse électronique").fill(email)
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(re.compile(r"/espace$"))
    expect(page.get_by_text(person["shown"], exact=True)).to_be_visible()
    expect(page.get_by_text(f"Abonné : {number}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Expiration du mot de passe : \d{2}/\d{2}/\d{4}"))).to_be_visible()
    expect(page.get_by_text("Vous avez créé votre espace professionnel")).to_be_visible()
    # Guide 000 screen 1: "Mes services", its entries lead to J9's "Adhérer aux services".
    services = page.locator("section", has=page.get_by_role("heading", name="Mes services", exact=True))
    for entry in ("Je souhaite adhérer", "J'adhère"):
        expect(services.get_by_role("link", name=entry, exact=True)).to_have_attribute("href", "/espace/services/adherer")
    visits.check("accueil de l'espace")
    page.get_by_role("link", name="Gérer les services").click()

    expect(page.get_by_role("heading", name="Gérer mon espace", exact=True)).to_be_visible()
    for block in ("Services", "Données personnelles", "Partage des services", "Données de l'entreprise"):
        expect(page.get_by_role("heading", name=block, exact=True)).to_be_visible()
    # SPEC §5 built: every entry of "Gérer mon espace" is a link, none greyed.
    expect(page.locator(".espace-disabled")).to_have_count(0)
    expect(page.get_by_text("Les rubriques grisées")).to_have_count(0)
    expect(page.get_by_text("ne sont pas proposées sur ce site")).to_have_count(0)
    # Panels, not DSFR tiles: nothing that looks clickable around entries that are not links.
    expect(page.locator(".fr-tile")).to_have_count(0)
    visits.check("gérer mon espace")
    page.get_by_role("link", name="Retour à l'accueil de mon espace").click()

    expect(page.get_by_text(f"Abonné : {number}")).to_be_visible()
    page.get_by_role("button", name="Me déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()
    # The browser's Back button does not bring the space back
    page.go_back()
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()
    expect(page.get_by_text(f"Abonné : {number}")).to_have_count(0)
    page.goto("/espace")
    expect(page).to_have_url(re.compile(r"/(\?.*)?$"))
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()

    assert visits.names == EXPECTED_PAGES
    page.watch.assert_clean("fin du parcours")


def test_j1_j2_j3_in_a_real_browser(page, smtp_settings, company):
    """J1 (expert), J2, J3 by labels and roles; axe-core and the console checked on every page."""
    visits = Visits(page)
    walk_the_journey(page, smtp_settings, visits, LILA)
    if visits.minor:
        print("axe-core, violations mineures ou modérées :", visits.minor)


def test_keyboard_only_journey(page, smtp_settings, company):
    """The same journey with Tab, Shift+Tab, Space, arrows, typing and Enter: no mouse at all."""
    email = "clavier@exemple.fr"
    keyboard = page.keyboard
    page.goto("/")

    # The skip link comes first (RGAA 12.7), then the way to J1
    keyboard.press("Tab")
    assert has_focus(page.get_by_role("link", name="Contenu")), focused(page)
    tab_to(page, page.get_by_role("link", name="Créer votre espace professionnel"))
    press_and_wait(page)
    tab_to(page, page.get_by_role("link", name="1ère étape : Créez votre espace (mode expert)"))
    press_and_wait(page)

    box = field(page, "Je reconnais avoir pris connaissance")
    tab_to(page, box)
    keyboard.press("Space")
    expect(box).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Valider"))
    press_and_wait(page)

    expect(page.get_by_role("heading", name="2ème étape : créez vos identifiants")).to_be_visible()
    type_into(page, field(page, "Votre adresse électronique"), email)
    type_into(page, field(page, "Confirmer votre adresse électronique"), email)
    type_into(page, field(page, "Votre mot de passe"), STRONG_PASSWORD)
    expect(page.locator("#password-level")).to_have_text(re.compile(r"^Niveau de sécurité : (Normal|Fort)$"))
    type_into(page, field(page, "Confirmer votre mot de passe"), STRONG_PASSWORD)
    # Back up one field with Shift+Tab and forward again: the order is the reading order.
    tab_to(page, field(page, "Votre mot de passe"), backwards=True)
    tab_to(page, field(page, "Confirmer votre mot de passe"))
    press_and_wait(page)  # Enter in a field submits with the form's first button, "Valider"

    expect(page.get_by_role("heading", name="3ème étape : remplissez votre formulaire d'inscription")).to_be_visible()
    madame = page.get_by_role("radio", name="Madame")
    tab_to(page, page.get_by_role("radio", name=re.compile(r"^(Madame|Monsieur)$")).first)
    if not has_focus(madame):
        keyboard.press("ArrowUp")
    keyboard.press("Space")
    expect(madame).to_be_checked()
    type_into(page, field(page, "Nom"), "Clavier")
    type_into(page, field(page, "Prénom"), "Zoé")
    type_into(page, field(page, "S.I.R.E.N ou équivalent"), "732829320")
    type_into(page, field(page, "Numéro de téléphone"), "0124578877")
    type_into(page, field(page, "Ville"), "Besançon")
    question = field(page, "Question")
    tab_to(page, question)
    for _ in range(10):  # a closed select moves to the next option with the arrow
        if question.input_value() == QUESTION:
            break
        keyboard.press("ArrowDown")
    expect(question).to_have_value(QUESTION)
    type_into(page, field(page, "Réponse"), ANSWER)
    press_and_wait(page)

    expect(page.get_by_role("heading", name="Votre inscription")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("CLAVIER")
    expect(page.get_by_role("main")).to_contain_text(QUESTION)
    tab_to(page, page.get_by_role("button", name="Confirmer"))
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Activation de votre espace abonné")).to_be_visible()

    code = activation_code(smtp_settings, email)
    tab_to(page, page.get_by_role("link", name="Activez votre espace abonné"))
    press_and_wait(page)
    type_into(page, field(page, "Saisissez le code d'activation"), code)
    # "Changer l'image" with Enter: a new challenge, and the focus back in the captcha field
    captcha, key = field(page, "Recopiez les caractères de l'image"), page.locator("input[name=captcha_key]")
    first_key = key.input_value()
    tab_to(page, page.get_by_role("link", name="Changer l'image"))
    keyboard.press("Enter")
    expect(key).not_to_have_value(first_key)
    expect(captcha).to_be_focused()
    type_into(page, captcha, captcha_answer(page))
    press_and_wait(page)
    expect(field(page, "Code d'activation")).to_have_value(code)
    type_into(page, field(page, "Saisissez votre adresse électronique de connexion"), email)
    press_and_wait(page)

    confirmation = page.get_by_text(NUMBER)
    expect(confirmation).to_be_visible()
    number = NUMBER.search(confirmation.inner_text()).group(1)
    tab_to(page, page.get_by_role("link", name="Sauvegardez ou imprimez le récapitulatif"))
    with page.expect_download() as download:
        keyboard.press("Enter")
    text = pdf_text(download.value)
    assert number in text and "CLAVIER" in text and QUESTION in text and ANSWER not in text
    tab_to(page, page.get_by_role("link", name="Accédez à vos services en ligne"))
    press_and_wait(page)

    type_into(page, field(page, "Adresse électronique"), email)
    type_into(page, field(page, "Mot de passe"), STRONG_PASSWORD)
    # "Afficher" shows the password, with Space on its box
    show = page.get_by_role("checkbox", name="Afficher : Mot de passe")
    tab_to(page, show)
    keyboard.press("Space")
    expect(field(page, "Mot de passe")).to_have_attribute("type", "text")
    keyboard.press("Space")
    expect(field(page, "Mot de passe")).to_have_attribute("type", "password")
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)

    expect(page.get_by_text("Mme CLAVIER Zoé")).to_be_visible()
    expect(page.get_by_text(f"Abonné : {number}")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Gérer les services"))
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Gérer mon espace", exact=True)).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Retour à l'accueil de mon espace"))
    press_and_wait(page)
    tab_to(page, page.get_by_role("button", name="Me déconnecter"))
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()
    page.watch.assert_clean("fin du parcours au clavier")


def test_mobile_width_login_and_registration_form(mobile_page, company):
    """At 375 px: the login page, J1 up to the registration form and J2's first page; axe-core
    and no horizontal scroll on each."""
    page = mobile_page
    visits = Visits(page, reflow=True)
    page.goto("/")
    visits.check("connexion")
    page.get_by_role("link", name="Créer votre espace professionnel").click()
    visits.check("choix du mode")
    page.get_by_role("link", name="1ère étape : Créez votre espace (mode simplifié)").click()
    expect(page.get_by_text("Pour créer votre espace (mode simplifié), vous devez :")).to_be_visible()
    visits.check("conditions générales")
    tick(page, field(page, "Je reconnais avoir pris connaissance"))
    page.get_by_role("button", name="Valider").click()
    field(page, "Votre adresse électronique").fill(LILA["email"])
    field(page, "Confirmer votre adresse électronique").fill(LILA["email"])
    field(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    expect(page.locator("#password-level")).to_have_text(re.compile(r"^Niveau de sécurité : (Normal|Fort)$"))
    field(page, "Confirmer votre mot de passe").fill(STRONG_PASSWORD)
    visits.check("identifiants")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="3ème étape : remplissez votre formulaire d'inscription")).to_be_visible()
    visits.check("formulaire d'inscription")
    page.goto("/activation")
    visits.check("code d'activation")
    assert visits.names == [
        "connexion",
        "choix du mode",
        "conditions générales",
        "identifiants",
        "formulaire d'inscription",
        "code d'activation",
    ]


def test_mobile_width_whole_journey(mobile_page, smtp_settings, company):
    """The whole journey at 375 px with long names and a long email: every page of it fits the
    screen (no horizontal scroll, RGAA 10.11) and passes axe-core."""
    walk_the_journey(mobile_page, smtp_settings, Visits(mobile_page, reflow=True), MARIE_CHRISTINE)


def test_static_files_are_served_by_whitenoise(page):
    """The DSFR assets load from the project itself (no CDN), through whitenoise as in production."""
    static = {}
    page.on("response", lambda response: "/static/" in response.url and static.setdefault(response.url, response))
    page.goto("/")
    Visits(page, axe=False).check("connexion")
    css = [url for url in static if url.endswith("/dsfr/dist/dsfr/dsfr.min.css")]
    assert css, list(static)
    for url, response in static.items():
        assert response.status == 200, (url, response.status)
        assert response.headers.get("access-control-allow-origin") == "*", f"{url} n'est pas servi par whitenoise"
    assert static[css[0]].headers["content-type"].startswith("text/css")


def test_the_watch_sees_a_csp_refusal_and_a_script_error(page):
    """The console/CSP checks are not vacuous: an inline script is refused and reported."""
    page.goto("/")
    page.watch.assert_clean("connexion")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.pwned = 1";
                   document.body.appendChild(s); }"""
    )
    page.evaluate("() => { setTimeout(() => { throw new Error('boum'); }, 0); }")
    problems = []
    for _ in range(100):  # events reach Python between round trips to the browser
        problems += page.watch.new_problems()
        if any("boum" in p for p in problems) and any("violation CSP" in p for p in problems):
            break
        page.evaluate("() => new Promise(r => setTimeout(r, 20))")
    assert page.evaluate("window.pwned") is None, "le script en ligne a été exécuté : CSP absente ?"
    assert any("violation CSP" in p and "script-src" in p for p in problems), problems
    assert any(p.startswith("console.error") and "Content Security Policy" in p for p in problems), problems
    assert any("boum" in p for p in problems), problems
