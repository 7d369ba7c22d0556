"""What a person sees: the wizard's former defects, the guides' words and button order, DSFR
errors from the one base form, the login page of guide 001, the footer's pages and French error
pages — in chromium, by labels, at 1280 and 375 px (axe-core, no horizontal scroll)."""

import re

import pytest
from playwright.sync_api import expect
from stdnum.fr import siren

from core.messages import message
from registre.models import Company
from tests.browser.conftest import DESKTOP, MOBILE, _open_page
from tests.browser.helpers import Visits, captcha_answer, field, tick
from tests.factories import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EMAIL = "lila.rosemonde@exemple.fr"


@pytest.fixture(params=["1280", "375"])
def any_page(request, chromium, live_server, transactional_db, tmp_path):
    """The same test at a desktop's and at a phone's width."""
    yield from _open_page(request, chromium, live_server, tmp_path, DESKTOP if request.param == "1280" else MOBILE)


def start_wizard(page, email=EMAIL):
    """J1 up to step 3 (mode expert)."""
    page.goto("/creation/conditions-generales?mode=expert")
    tick(page, field(page, "Je reconnais avoir pris connaissance"))
    page.get_by_role("button", name="Valider").click()
    field(page, "Votre adresse électronique").fill(email)
    field(page, "Confirmer votre adresse électronique").fill(email)
    field(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    field(page, "Confirmer votre mot de passe").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="3ème étape : remplissez votre formulaire d'inscription")).to_be_visible()


def fill_step3(page, siren_typed="732 829 320", phone="01 24 57 88 77"):
    tick(page, page.get_by_role("radio", name="Madame"))
    field(page, "Nom").fill("Rosemonde")
    field(page, "Prénom").fill("Lila")
    field(page, "S.I.R.E.N ou équivalent").fill(siren_typed)
    field(page, "Numéro de téléphone").fill(phone)
    field(page, "Ville").fill("Paris")
    field(page, "Réponse").fill("Rex le Chien")


def button_names(page, scope="main form .fr-btns-group"):
    return [name.strip() for name in page.locator(scope).first.locator("a, button").all_inner_texts()]


def test_siren_error_example_is_itself_a_valid_siren(page):
    """R-SIREN-1: the example given in the refusal passes the rule it illustrates."""
    start_wizard(page)
    fill_step3(page, siren_typed="987 654 321")
    page.get_by_role("button", name="Valider").click()
    error = page.locator("#id_company_identifier-desc-error .fr-error-text")
    expect(error).to_have_text(message("siren_invalid"))
    example = re.search(r"exemple : ([\d ]+)\)", error.inner_text()).group(1).replace(" ", "")
    assert siren.is_valid(example), f"l'exemple {example} n'est pas un SIREN valide"


def test_j1_7_previous_step_keeps_step3_but_not_the_answer_and_phone_as_typed(page):
    """J1.7: "Étape précédente" on an unsubmitted step 3 keeps what was typed, all but the secret."""
    start_wizard(page)
    fill_step3(page, phone="01 24 57 88 77")
    field(page, "Libellé de la voie").fill("des Lilas")
    page.get_by_role("button", name="Étape précédente").click()
    expect(page.get_by_role("heading", name="2ème étape : créez vos identifiants")).to_be_visible()
    expect(field(page, "Votre adresse électronique")).to_have_value(EMAIL)
    field(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    field(page, "Confirmer votre mot de passe").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("radio", name="Madame")).to_be_checked()
    expect(field(page, "Nom")).to_have_value("Rosemonde")
    expect(field(page, "Libellé de la voie")).to_have_value("des Lilas")
    expect(field(page, "Numéro de téléphone")).to_have_value("01 24 57 88 77")
    expect(field(page, "Réponse")).to_have_value("")  # a secret never comes back
    # Once validated, going back from the summary shows the phone in national form, not E.164.
    field(page, "Réponse").fill("Rex le Chien")
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("link", name="Étape précédente").click()
    expect(field(page, "Numéro de téléphone")).to_have_value("01 24 57 88 77")


def test_guide_button_order_and_enter_still_validates(page):
    """Step 3 "Étape précédente · Valider · Effacer", summary "Étape précédente · Confirmer"; Enter = Valider."""
    Company.objects.create(siren="732829320", name="MARTIN DISTRIBUTION")
    start_wizard(page)
    assert button_names(page) == ["Étape précédente", "Valider", "Effacer"]
    fill_step3(page)
    field(page, "Réponse").press("Enter")  # implicit submission goes to "Valider", not back
    expect(page.get_by_role("heading", name="Votre inscription")).to_be_visible()
    assert button_names(page) == ["Étape précédente", "Confirmer"]


def test_intro_and_stepper_name_step_4_alike_and_no_internal_word(page):
    page.goto("/creation/conditions-generales?mode=simplifie")
    expect(page.get_by_text("Pour créer votre espace (mode simplifié), vous devez :")).to_be_visible()
    expect(page.get_by_text("(simplifie)")).to_have_count(0)
    intro = page.get_by_text(re.compile(r"^4ème étape : ")).inner_text()
    start_wizard(page)
    fill_step3(page)
    page.get_by_role("button", name="Valider").click()
    stepper_title = page.locator(".fr-stepper__title").inner_text()
    # Guide 003 names the fourth step "activer votre espace abonné"; the wizard's own stepper ends at
    # the confirmation of what was typed (activation follows, from the code received).
    assert intro == "4ème étape : activer votre espace abonné"
    assert "confirmation de l'inscription" in stepper_title.lower()


def test_browser_back_after_confirmer_shows_the_sent_page(page):
    """Back after "Confirmer": the sent page again, never a red "Votre saisie a expiré"."""
    Company.objects.create(siren="732829320", name="MARTIN DISTRIBUTION")
    start_wizard(page)
    fill_step3(page)
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Activation de votre espace abonné")).to_be_visible()
    for _ in range(3):  # back to the summary's URL, to step 3's, to step 2's
        page.go_back()
        expect(page.get_by_role("heading", name="Activation de votre espace abonné")).to_be_visible()
        expect(page.locator(".fr-alert--error")).to_have_count(0)


def test_stale_wizard_urls_give_one_neutral_notice(page):
    for url in ("/creation/identifiants", "/creation/formulaire", "/creation/inscription"):
        page.goto(url)
    expect(page).to_have_url(re.compile(r"/creation\?reprise=1$"))
    expect(page.get_by_text(message("session_lost"))).to_have_count(1)
    expect(page.locator(".fr-alert--error")).to_have_count(0)


def test_password_fields_alike_server_says_128_maximum(page):
    """Both password fields take the same length; 140 identical characters: "128 caractères maximum"."""
    page.goto("/creation/conditions-generales?mode=expert")
    tick(page, field(page, "Je reconnais avoir pris connaissance"))
    page.get_by_role("button", name="Valider").click()
    password, confirm = field(page, "Votre mot de passe"), field(page, "Confirmer votre mot de passe")
    assert password.get_attribute("maxlength") == confirm.get_attribute("maxlength")
    long = "Cerf-volant sous la pluie " * 6  # 156 characters
    field(page, "Votre adresse électronique").fill(EMAIL)
    field(page, "Confirmer votre adresse électronique").fill(EMAIL)
    password.fill(long)
    confirm.fill(long)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#id_password-desc-error")).to_contain_text("128 caractères maximum")
    expect(page.get_by_text(message("password_mismatch"))).to_have_count(0)


def test_trust_answer_can_be_shown_before_it_is_too_late(page):
    start_wizard(page)
    answer = field(page, "Réponse")
    answer.fill("Rex le  Chien")
    expect(answer).to_have_attribute("type", "password")
    tick(page, page.get_by_role("checkbox", name="Afficher : Réponse"))
    expect(answer).to_have_attribute("type", "text")


def test_strength_wording_of_guide_002(page):
    page.goto("/creation/conditions-generales?mode=expert")
    tick(page, field(page, "Je reconnais avoir pris connaissance"))
    page.get_by_role("button", name="Valider").click()
    level = page.locator("#password-level")
    expect(level).to_have_text("Niveau de sécurité de votre mot de passe")
    field(page, "Votre mot de passe").fill("motdepasse")
    expect(level).to_have_text("Niveau de sécurité : Faible et non autorisé")
    field(page, "Votre mot de passe").fill("")
    expect(level).to_have_text("Niveau de sécurité de votre mot de passe")
    field(page, "Votre adresse électronique").fill(EMAIL)
    field(page, "Confirmer votre adresse électronique").fill(EMAIL)
    field(page, "Votre mot de passe").fill("aaaaaaaaaaaaaaaaaaaaaaaa")
    field(page, "Confirmer votre mot de passe").fill("aaaaaaaaaaaaaaaaaaaaaaaa")
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#id_password-desc-error")).to_have_text(re.compile(r"trop faible, veuillez ressayer|liste"))


def test_dsfr_errors_on_every_form_from_the_base_form(page):
    """Each form refuses an empty submission with DSFR errors (group in error, red fr-error-text),
    never Django's bare list; an empty captcha gets one message."""
    forms = [
        ("/", "Se connecter", ["id_email", "id_password", "id_captcha"]),
        ("/creation/conditions-generales?mode=expert", "Valider", ["id_accept"]),
        ("/activation", "Continuer", ["id_code", "id_captcha"]),
    ]
    for url, button, fields in forms:
        page.goto(url)
        page.get_by_role("button", name=button).click()
        for name in fields:
            group = page.locator(f"#{name}-group")
            expect(group).to_have_class(re.compile(r"fr-(input|checkbox)-group--error"))
            expect(page.locator(f"#{name}-desc-error .fr-error-text")).to_have_count(1)
            color = page.locator(f"#{name}-desc-error .fr-error-text").evaluate("e => getComputedStyle(e).color")
            assert color != "rgb(0, 0, 0)" and color != "rgb(22, 22, 22)", f"{url} {name} : erreur en {color}"
            expect(page.locator(f"#{name}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("ul.errorlist")).to_have_count(0)
    start_wizard(page)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#id_civility-group")).to_have_class(re.compile("fr-fieldset--error"))
    expect(page.locator("#id_civility-group .fr-radio-group")).to_have_count(2)  # DSFR radios
    radio_size = page.get_by_role("radio", name="Madame").evaluate(
        "e => getComputedStyle(e.labels[0], '::before').width"
    )
    assert float(radio_size.rstrip("px")) >= 20, f"bouton radio de {radio_size} : pas le dessin DSFR"


def test_login_page_of_guide_001(any_page):
    page = any_page
    visits = Visits(page, reflow=True)
    page.goto("/")
    expect(page.get_by_text("Tous les champs sont obligatoires.")).to_be_visible()
    expect(page.locator(".espace-required")).to_have_count(0)  # all required, said once
    separator = page.get_by_role("separator", name="ou")
    expect(separator).to_be_visible()
    form_bottom = page.get_by_role("button", name="Se connecter").bounding_box()
    question = page.get_by_role("heading", name="Vous n'avez pas d'espace professionnel ?").bounding_box()
    sep = separator.bounding_box()
    assert form_bottom["y"] < sep["y"] < question["y"], "« OU » doit séparer la connexion de la création"
    forgotten = page.get_by_role("link", name="Mot de passe oublié ?")
    expect(forgotten).to_have_attribute("href", "/mot-de-passe-oublie")  # J5
    visits.check("connexion")
    page.get_by_role("link", name="Accéder aux explications pas à pas").click()
    expect(page.get_by_role("heading", name="Aide : les démarches pas à pas")).to_be_visible()
    for part in ("1. Créer votre espace", "2. Activer votre espace", "3. Vous connecter"):
        expect(page.get_by_role("heading", name=part)).to_be_visible()
    visits.check("aide")


FOOTER = [
    ("Accessibilité : non conforme", "Déclaration d'accessibilité"),
    ("Mentions légales", "Mentions légales"),
    ("Données personnelles", "Données personnelles"),
    ("Conditions générales d'utilisation", "Conditions générales d'utilisation de l'espace professionnel"),
]


def test_footer_pages_are_real_french_pages(any_page):
    page = any_page
    visits = Visits(page, reflow=True)
    for link, heading in FOOTER:
        page.goto("/")
        page.get_by_role("contentinfo").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        visits.check(link)
    page.goto("/donnees-personnelles")
    main = page.get_by_role("main")
    for fact in ("48 heures", "3 ans", "Argon2id", "30 minutes", "effacé dès qu'ils sont partis", "CNIL"):
        expect(main).to_contain_text(fact)


def test_error_pages_are_french_with_a_way_back(any_page):
    page = any_page
    visits = Visits(page, reflow=True)
    for url, status, heading in [
        ("/page-qui-n-existe-pas", 404, "Page non trouvée"),
        ("/deconnexion", 405, "Cette page ne s'ouvre pas ainsi"),  # POST-only: no "HTTP ERROR 405"
        ("/mot-de-passe/niveau", 405, "Cette page ne s'ouvre pas ainsi"),
    ]:
        response = page.goto(url)
        assert response.status == status
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text(f"Erreur {status}")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        page.watch.new_problems()  # the document's own 4xx is the point here
        visits.check(f"erreur {status}")
        page.get_by_role("link", name="Page de connexion").click()
        expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()


def test_summary_fits_375_px_with_a_long_email(mobile_page):
    """The summary at a phone's width: the long email wraps; spacing before the buttons."""
    page = mobile_page
    Company.objects.create(siren="732829320", name="MARTIN DISTRIBUTION")
    long_email = "marie-christine.de-la-fontaine-saint-aubin@cabinet-expertise-comptable-exemple.fr"
    start_wizard(page, long_email)
    fill_step3(page, phone="+32 2 555 12 12")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("heading", name="Votre inscription")).to_be_visible()
    Visits(page, reflow=True).check("votre inscription")
    last_row = page.locator("dl.espace-summary").last.bounding_box()
    buttons = page.get_by_role("link", name="Étape précédente").bounding_box()
    assert buttons["y"] - (last_row["y"] + last_row["height"]) >= 24, "les boutons collent au récapitulatif"


def test_favicon_is_served(page):
    page.goto("/")
    hrefs = page.locator("link[rel~=icon]").evaluate_all("links => links.map(l => l.href)")
    assert hrefs
    for href in hrefs:
        assert page.request.get(href).ok, href
    # Clients that ask the conventional address (bookmarks, feed readers, PDF viewers) get it too.
    response = page.request.get("/favicon.ico")
    assert response.ok and response.headers["content-type"].startswith("image/"), response.status


def test_login_then_wrong_captcha_keeps_one_message(page):
    """The captcha's error is the one message of its field (empty or wrong)."""
    page.goto("/")
    field(page, "Adresse électronique").fill(EMAIL)
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page) + "X")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("#id_captcha-desc-error .fr-error-text")).to_have_count(1)
