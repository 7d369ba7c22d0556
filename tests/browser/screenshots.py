"""`make screenshots`: every J1–J3 page, the static pages and the error pages, the pages of J4–J8,
the login lock and J8's lost-certificate path, and issue 14's pages (J9, J2 for services, the
home with one and several dossiers, the dossiers list, a service page, J11, the mode simplifié),
J15's and J16's pages (issue 16), J18's bank accounts (list, form, recap, pending account, removal),
the assistance console's pages (issue 17), the sharing pages (issue 15: the dossier page, J12,
J13, J14) and J17's company email,
at 1280 and 375 px, into var/screenshots/ (or
$SCREENSHOTS_DIR), for a person to look at.

Run by pytest (it reuses the browser tests' live server, real SMTP server and chromium), but not
part of the suite: its file name does not start with test_, so only `make screenshots` runs it.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from registre.models import Company
from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.helpers import activation_code, captcha_answer, certificate_session, field, tick
from tests.factories import STRONG_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OUT = Path(os.environ.get("SCREENSHOTS_DIR", "var/screenshots"))
LONG_EMAIL = "marie-christine.de-la-fontaine-saint-aubin@cabinet-expertise-comptable-exemple.fr"


@pytest.fixture(params=[("1280", DESKTOP), ("375", MOBILE)], ids=["1280", "375"])
def shot_page(request, chromium, live_server):
    width, device = request.param
    context = chromium.new_context(**device, base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Each capture test numbers from its own start, three digits: every file keeps its own name
    # and the files sort in the tests' order (001…, 050…, 080…, 100…).
    name = request.node.name
    start = 100 if "issue_14" in name else 80 if "lock_and_j8" in name else 50 if "j5_to_j8" in name else 1
    start = 170 if "j15_j16" in name else start  # issue 16: J15 and J16
    start = 160 if "j18" in name else start
    start = 200 if "issue_17" in name else start
    start = 230 if "of_sharing" in name else start  # issue 15 (J12–J14) and J17
    counter = iter(range(start, 300))

    def shot(name: str) -> None:
        page.wait_for_load_state("load")
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=OUT / f"{width}-{next(counter):03d}-{name}.png", full_page=True)

    page.shot = shot
    yield page
    context.close()


def test_screenshots(shot_page, smtp_settings):
    page, shot = shot_page, shot_page.shot
    Company.objects.create(siren="732829320", name="MARTIN DISTRIBUTION")
    page.goto("/")
    shot("connexion")
    page.get_by_role("button", name="Se connecter").click()
    shot("connexion-erreurs")
    page.get_by_role("link", name="Accéder aux explications pas à pas").click()
    shot("aide")
    for path, name in [
        ("/accessibilite", "accessibilite"),
        ("/mentions-legales", "mentions-legales"),
        ("/donnees-personnelles", "donnees-personnelles"),
        ("/conditions-generales", "conditions-generales-texte"),
        ("/page-qui-n-existe-pas", "erreur-404"),
        ("/deconnexion", "erreur-405"),
        ("/creation/formulaire", "creation-reprise"),
    ]:
        page.goto(path)
        shot(name)

    page.goto("/creation")
    shot("creation-choix")
    page.get_by_role("link", name="1ère étape : Créez votre espace (mode expert)").click()
    page.get_by_role("button", name="Valider").click()
    shot("creation-1-conditions-erreur")
    tick(page, field(page, "Je reconnais avoir pris connaissance"))
    page.get_by_role("button", name="Valider").click()
    shot("creation-2-identifiants")
    field(page, "Votre adresse électronique").fill(LONG_EMAIL)
    field(page, "Confirmer votre adresse électronique").fill(LONG_EMAIL)
    field(page, "Votre mot de passe").fill("motdepasse")
    expect(page.locator("#password-level")).to_have_text("Niveau de sécurité : Faible et non autorisé")
    field(page, "Confirmer votre mot de passe").fill("autre chose")
    page.get_by_role("button", name="Valider").click()
    shot("creation-2-identifiants-erreurs")
    field(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    field(page, "Confirmer votre mot de passe").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Valider").click()
    page.get_by_role("button", name="Valider").click()
    shot("creation-3-formulaire-erreurs")
    tick(page, page.get_by_role("radio", name="Monsieur"))
    field(page, "Nom").fill("de la Fontaine-Saint-Aubin")
    field(page, "Prénom").fill("Marie-Christine")
    field(page, "S.I.R.E.N ou équivalent").fill("987 654 321")
    field(page, "Numéro de téléphone").fill("+32 2 555 12 12")
    field(page, "Ville").fill("Saint-Rémy-de-Provence")
    field(page, "Réponse").fill("Rex le Chien")
    page.get_by_role("checkbox", name="Afficher : Réponse").check(force=True)
    page.get_by_role("button", name="Valider").click()
    shot("creation-3-formulaire-siren-refuse")
    field(page, "S.I.R.E.N ou équivalent").fill("732 829 320")
    field(page, "Réponse").fill("Rex le Chien")
    page.get_by_role("button", name="Valider").click()
    shot("creation-4-votre-inscription")
    page.get_by_role("button", name="Confirmer").click()
    shot("creation-code-envoye")

    code = activation_code(smtp_settings, LONG_EMAIL)
    page.get_by_role("link", name="Activez votre espace abonné").click()
    shot("activation-1-code")
    field(page, "Saisissez le code d'activation").fill(code)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Continuer").click()
    shot("activation-2-adresse")
    field(page, "Saisissez votre adresse électronique de connexion").fill(LONG_EMAIL)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text(re.compile(r"sous le numéro \d{14}"))).to_be_visible()
    shot("activation-3-inscription-realisee")

    page.get_by_role("link", name="Accédez à vos services en ligne").click()
    field(page, "Adresse électronique").fill(LONG_EMAIL)
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/espace$"))
    shot("espace-accueil")
    page.get_by_role("link", name="Gérer les services").click()
    shot("espace-gerer")

    # J4 and J6 inside the space
    page.goto("/espace/identifiants")
    shot("j4-identifiants")
    page.get_by_role("button", name="Valider").click()
    shot("j4-identifiants-erreurs")
    page.goto("/espace/historique")
    shot("j6-historique-securite")


def test_screenshots_of_j5_to_j8(shot_page, live_server, smtp_settings):
    """The pages of J5-J8 that need no journey before them, and those behind a session."""
    from datetime import timedelta

    from core import clock
    from accounts.models import AccessMode, Space
    from tests.factories import SpaceFactory

    page, shot = shot_page, shot_page.shot
    for path, name in [
        ("/mot-de-passe-oublie", "j5-mot-de-passe-oublie"),
        ("/mot-de-passe-oublie/code", "j5-code"),
        ("/mot-de-passe-expire", "j6-mot-de-passe-expire"),
        ("/certificat", "j7-certificat-refuse"),
        ("/option-sans-certificat", "j8-option-hors-espace"),
    ]:
        page.goto(path)
        shot(name)

    # R-EXP-1: 30 days left, the alert after the login, then the home's countdown.
    expiring = SpaceFactory(login_email="alerte@exemple.fr")
    Space.objects.filter(pk=expiring.pk).update(password_expires_on=clock.paris_today() + timedelta(days=30))
    page.goto("/")
    field(page, "Adresse électronique").fill("alerte@exemple.fr")
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    shot("j6-alerte-expiration")
    page.goto("/espace")
    shot("j6-accueil-compte-a-rebours")
    page.context.clear_cookies()

    # J8 inside a certificate space.
    certificate = SpaceFactory(access_mode=AccessMode.CERTIFICATE, login_email=None, contact_email="cab@exemple.fr")
    certificate_session(page, live_server, certificate)
    page.goto("/espace")
    shot("j7-accueil-certificat")
    page.goto("/espace/option-sans-certificat")
    shot("j8-option-avertissement")


def test_screenshots_of_the_lock_and_j8_outside(shot_page, smtp_settings):
    """Issue 13 items 1 and 3: the login after 5 wrong passwords, and J8's lost-certificate path
    (the address the 1 h code proved kept: no second code) up to its confirmation."""
    from datetime import UTC, datetime

    from accounts.models import AccessMode
    from mailer.worker import deliver_due
    from tests.browser.helpers import CODE_LINE
    from tests.factories import SpaceFactory

    page, shot = shot_page, shot_page.shot
    SpaceFactory(login_email="lila.rosemonde@exemple.fr")
    for _ in range(6):
        page.goto("/")
        field(page, "Adresse électronique").fill("lila.rosemonde@exemple.fr")
        field(page, "Mot de passe").fill("un mauvais mot de passe de vingt caractères")
        field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text(re.compile("^Trop de tentatives"))).to_be_visible()
    shot("connexion-bloquee")

    space = SpaceFactory(
        access_mode=AccessMode.CERTIFICATE,
        login_email=None,
        contact_email="cabinet@exemple.fr",
        created_at=datetime(2011, 6, 17, 8, 30, tzinfo=UTC),
    )
    page.goto("/option-sans-certificat")
    field(page, "Votre numéro d'abonné").fill(space.subscriber_number)
    field(page, "L'adresse électronique de votre espace avec certificat").fill("cabinet@exemple.fr")
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Valider").click()
    shot("j8-hors-espace-2-code")
    before = len(smtp_settings.messages)
    deliver_due()
    code = CODE_LINE.findall(smtp_settings.wait_for(before + 1, timeout=10)[-1].body)[0]
    field(page, "Saisissez le code reçu par courriel").fill(code)
    page.get_by_role("button", name="Valider").click()
    field(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    expect(page.locator("#password-level")).to_have_text(re.compile(r"^Niveau de sécurité : (Normal|Fort)$"))
    field(page, "Confirmez votre nouveau mot de passe").fill(STRONG_PASSWORD)
    shot("j8-hors-espace-3-identifiants")
    page.get_by_role("button", name="Valider").click()
    field(page, "Saisissez la réponse à la question de confiance").fill("Mon chat Gribouille")
    shot("j8-hors-espace-4-question")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_text("Étape 5 sur 5")).to_be_visible()
    shot("j8-hors-espace-5-transforme")


def test_screenshots_of_issue_14(shot_page, settings, tmp_path):
    """Issue 14's pages: "Gérer mon espace", J9 (empty, refused, recap, letter sent), J2's
    "Vos services ont été activés", the home with one dossier then several (before and after
    choosing one), "Voir tous mes dossiers" with a search and without, a service page, J11 with a
    pending request and live habilitations, its cancel confirmation, and the mode simplifié's
    company fields. /dev/courriers/ is left out: it exists only under DEBUG (config/urls.py),
    which the live server does not run with."""
    from core import clock
    from habilitations.services import adhesion
    from tests import companies as known
    from tests.factories import SpaceFactory
    from tests.habilitations import holdings as steps
    from tests.habilitations.letters import last_code

    page, shot = shot_page, shot_page.shot
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    settings.LETTER_SPOOL_DIR = spool = tmp_path / "courriers"
    known.add_demo_companies()
    try:
        space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
        page.goto("/")
        field(page, "Adresse électronique").fill("lila.rosemonde@exemple.fr")
        field(page, "Mot de passe").fill(STRONG_PASSWORD)
        field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
        page.get_by_role("button", name="Se connecter").click()
        expect(page).to_have_url(re.compile(r"/espace$"))
        page.get_by_role("link", name="Gérer les services").click()
        expect(page.get_by_role("heading", level=1, name="Gérer mon espace")).to_be_visible()
        shot("gerer-mon-espace")

        page.get_by_role("link", name="Adhérer aux services").click()
        expect(page.get_by_role("heading", level=1, name="Adhérer aux services")).to_be_visible()
        shot("j9-formulaire")
        page.get_by_role("button", name="Continuer").click()
        expect(page.locator("#form-errors")).to_be_visible()
        shot("j9-formulaire-erreurs")
        field(page, "SIREN de l'entreprise").fill(known.MARTIN)
        tick(page, page.get_by_role("radio", name="Représentant légal"))
        tick(page, page.get_by_role("checkbox", name="Tout sélectionner (Déclarer)"))
        tick(page, page.get_by_role("group", name="Payer", exact=True).get_by_role("checkbox", name="TVA", exact=True))
        page.get_by_role("button", name="Continuer").click()
        expect(page.get_by_role("heading", name="Récapitulatif de votre demande")).to_be_visible()
        shot("j9-recapitulatif")
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_role("heading", name="Votre demande d'adhésion est enregistrée")).to_be_visible()
        shot("j9-courrier-envoye")

        code = last_code(spool)
        page.get_by_role("link", name="Activer", exact=True).click()
        field(page, "Saisissez le code d'activation").fill(code)
        field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
        page.get_by_role("button", name="Continuer").click()
        field(page, "Saisissez votre adresse électronique de connexion").fill("lila.rosemonde@exemple.fr")
        page.get_by_role("button", name="Continuer").click()
        expect(page.get_by_role("heading", name="Vos services ont été activés")).to_be_visible()
        shot("j2-services-actives")

        page.get_by_role("link", name=re.compile(r"^Accéder à votre espace et au dossier")).click()
        expect(page.get_by_role("heading", name="Dossier courant", exact=True)).to_be_visible()
        shot("accueil-un-dossier")
        page.get_by_role("link", name="Impôt sur les sociétés").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Déclarer › Impôt sur les sociétés")
        shot("page-du-service")

        # Several dossiers, and a request waiting for its letter (J11).
        steps.hold(space, steps.dupont(), ["declarer_is", "payer_cfe", "messagerie"])
        adhesion.request_adhesion(
            space=space,
            siren=known.DUPONT,
            statut="representant_legal",
            service_codes=["declarer_tva", "payer_tva", "demarches_remboursement_tva_ue"],
            now=clock.now(),
        )
        page.goto("/espace")
        expect(page.get_by_role("heading", name="Mes dossiers", exact=True)).to_be_visible()
        shot("accueil-plusieurs-dossiers")
        field(page, "Choisir un dossier").fill("dupont")
        page.get_by_role("button", name="Rechercher").click()
        expect(page.locator("tbody tr")).to_have_count(1)
        shot("dossiers-recherche")
        page.get_by_role("button", name=re.compile(r"^Choisir ce dossier : DUPONT ET FILS")).click()
        expect(page.get_by_role("heading", name="Dossier courant", exact=True)).to_be_visible()
        shot("accueil-dossier-choisi")
        page.get_by_role("link", name="Voir tous mes dossiers").first.click()
        expect(page.locator("tbody tr")).to_have_count(2)
        shot("dossiers-tous")

        page.goto("/espace/services/habilitations")
        expect(page.get_by_role("heading", level=1, name="Consulter mes services (habilitations)")).to_be_visible()
        shot("j11-habilitations-et-demande")
        page.get_by_role("button", name="Annuler la demande").click()
        expect(page.get_by_role("heading", level=1, name="Annuler la demande d'adhésion")).to_be_visible()
        shot("j11-annulation-confirmation")

        # The mode simplifié's step 3: the company's fields under the person's.
        page.context.clear_cookies()
        page.goto("/creation")
        page.get_by_role("link", name="1ère étape : Créez votre espace (mode simplifié)").click()
        tick(page, field(page, "Je reconnais avoir pris connaissance"))
        page.get_by_role("button", name="Valider").click()
        for label in ("Votre adresse électronique", "Confirmer votre adresse électronique"):
            field(page, label).fill("zoe.simple@exemple.fr")
        field(page, "Votre mot de passe").fill(STRONG_PASSWORD)
        field(page, "Confirmer votre mot de passe").fill(STRONG_PASSWORD)
        page.get_by_role("button", name="Valider").click()
        expect(field(page, "SIREN de votre entreprise")).to_be_visible()
        shot("creation-simplifie-formulaire")
        page.get_by_role("button", name="Valider").click()
        expect(page.locator("#form-errors")).to_be_visible()
        shot("creation-simplifie-formulaire-erreurs")
    finally:
        known.KNOWN.clear()


def test_screenshots_of_j15_j16(shot_page, settings):
    """J15 "Modifier mes coordonnées" (form, refusal, done) and J16's pages: refused, warning, confirmation, done."""
    import importlib

    from django.apps import apps

    from catalogue.models import Service
    from core import clock
    from dossiers.services.dossiers import open_dossier
    from habilitations.models import Habilitation, Role
    from tests import companies as known
    from tests.factories import SpaceFactory

    page, shot = shot_page, shot_page.shot
    if not Service.objects.exists():
        importlib.import_module("catalogue.migrations.0002_guide_001").load(apps, None)
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    known.add_demo_companies()
    try:
        now = clock.now()
        space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
        titulaire = SpaceFactory(civility="M", last_name="DUPONT", first_name="Jean-Édouard")
        martin = open_dossier(siren=known.MARTIN, name="SARL MARTIN DISTRIBUTION", now=now)
        dupont = open_dossier(siren=known.DUPONT, name="DUPONT ET FILS", now=now)
        for code in ("consulter_compte_fiscal", "declarer_tva"):
            Habilitation.objects.create(
                space=space, dossier=martin, service=Service.objects.get(code=code), role=Role.TITULAIRE, started_at=now
            )
        Habilitation.objects.create(
            space=space, dossier=dupont, service=Service.objects.get(code="declarer_is"), role=Role.SUPPLEANT,
            granted_by=titulaire, started_at=now,
        )
        page.goto("/")
        field(page, "Adresse électronique").fill("lila.rosemonde@exemple.fr")
        field(page, "Mot de passe").fill(STRONG_PASSWORD)
        field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
        page.get_by_role("button", name="Se connecter").click()

        page.goto("/espace/coordonnees")
        shot("j15-coordonnees")
        field(page, "Code postal").fill("7500")
        field(page, "Mot de passe actuel").fill(STRONG_PASSWORD)
        page.get_by_role("button", name="Valider").click()
        shot("j15-coordonnees-erreurs")
        field(page, "Code postal").fill("69002")
        field(page, "Ville").fill("Lyon")
        field(page, "Mot de passe actuel").fill(STRONG_PASSWORD)
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_text("Enregistrement effectué.")).to_be_visible()
        shot("j15-coordonnees-enregistrement")

        page.goto("/espace/supprimer")
        shot("j16-suppression-refusee-titulaire")
        Habilitation.objects.filter(space=space, role=Role.TITULAIRE).update(ended_at=clock.now())
        page.goto("/espace/supprimer")
        shot("j16-suppression-avertissement")
        page.get_by_role("link", name="Continuer vers la suppression").click()
        shot("j16-suppression-confirmation")
        field(page, "Mot de passe actuel").fill(STRONG_PASSWORD)
        field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
        page.get_by_role("button", name="Supprimer définitivement mon espace").click()
        expect(page.get_by_role("heading", level=1, name="Espace professionnel supprimé")).to_be_visible()
        shot("j16-espace-supprime")
    finally:
        known.KNOWN.clear()


def test_screenshots_of_j18(shot_page, settings, tmp_path):
    """J18 "Gérer les comptes bancaires": the empty list, the form (empty, refused), the recap,
    the list with an account waiting for its signed mandate, then valid, the removal's
    confirmation."""
    from core import clock
    from entreprise.services import bank_accounts
    from tests import companies as known
    from tests.factories import SpaceFactory
    from tests.habilitations import builders

    page, shot = shot_page, shot_page.shot
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    known.add_demo_companies()
    try:
        space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
        builders.grant(space, known.MARTIN, "payer_tva", name="SARL MARTIN DISTRIBUTION")
        page.goto("/")
        field(page, "Adresse électronique").fill("lila.rosemonde@exemple.fr")
        field(page, "Mot de passe").fill(STRONG_PASSWORD)
        field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
        page.get_by_role("button", name="Se connecter").click()
        expect(page).to_have_url(re.compile(r"/espace$"))
        page.goto("/espace/gerer")
        page.get_by_role("link", name="Gérer les comptes bancaires").click()
        expect(page.get_by_role("heading", level=1, name="Gérer les comptes bancaires")).to_be_visible()
        shot("j18-comptes-vide")
        page.get_by_role("link", name="Ajouter un compte").click()
        shot("j18-ajout-formulaire")
        field(page, "IBAN").fill("CH93 0076 2011 6238 5295 7")
        page.get_by_role("button", name="Continuer").click()
        expect(page.locator("#form-errors")).to_be_visible()
        shot("j18-ajout-erreurs")
        field(page, "BIC").fill("UBSWCHZH80A")
        field(page, "Titulaire du compte").fill("SARL MARTIN DISTRIBUTION")
        field(page, "Adresse du titulaire").fill("10 RUE DE L'ÉGLISE")
        field(page, "Complément d'adresse").fill("Bâtiment B")
        field(page, "Code postal et ville").fill("25000 BESANÇON")
        page.get_by_role("button", name="Continuer").click()
        expect(page.get_by_role("heading", name="Récapitulatif du compte")).to_be_visible()
        shot("j18-ajout-recapitulatif")
        page.get_by_role("button", name="Confirmer").click()
        expect(page.locator(".fr-alert--success")).to_be_visible()
        shot("j18-compte-en-attente")
        [account] = bank_accounts.BankAccount.objects.all()
        bank_accounts.confirm_mandate(rum=account.rum, now=clock.now())
        page.reload()
        shot("j18-compte-valide")
        page.get_by_role("link", name=re.compile(r"^Supprimer le compte")).click()
        shot("j18-suppression-confirmation")
    finally:
        known.KNOWN.clear()


def test_screenshots_of_issue_17(shot_page, settings):
    """The assistance console (R-AST-1): its login, the enrolment (password, TOTP with its QR
    code, recovery codes), the search, a locked-out space, the reason asked before lifting its
    delay, the space once lifted, its security history and the agents' history."""
    import io

    import pyotp
    from django.core.management import call_command

    from core.throttle import Throttle
    from tests.factories import SpaceFactory

    page, shot = shot_page, shot_page.shot
    space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
    for _ in range(settings.THROTTLE_POLICIES["account_failures"]["free_failures"]):
        Throttle.default().failed(account=space.login_email, address="198.51.100.9")
    out = io.StringIO()
    call_command("create_agent", "agent.martin@dgfip.exemple.fr", "Claire Martin", stdout=out)
    link = re.search(r"/assistance/enrolement/\S+", out.getvalue()).group(0)
    page.goto("/assistance/connexion")
    shot("assistance-connexion")
    page.goto(link)
    password = "Le phare de Cordouan veille sur la Gironde 1611"
    field(page, "Mot de passe").fill(password)
    field(page, "Confirmation du mot de passe").fill(password)
    shot("assistance-enrolement-mot-de-passe")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_role("heading", level=1, name="Enregistrer le second facteur")).to_be_visible()
    shot("assistance-enrolement-second-facteur")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    field(page, "Code à 6 chiffres").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Confirmer le second facteur").click()
    expect(page.get_by_role("heading", level=1, name="Vos codes de secours")).to_be_visible()
    shot("assistance-codes-de-secours")
    page.get_by_role("link", name="Accéder à la console").click()
    field(page, "Rechercher un espace").fill("Rosemonde")
    page.get_by_role("button", name="Rechercher").click()
    shot("assistance-recherche")
    page.get_by_role("link", name=space.subscriber_number).click()
    shot("assistance-espace-bloque")
    page.get_by_role("link", name="Lever le délai de connexion").click()
    page.get_by_role("button", name="Lever le délai de connexion").click()
    expect(page.locator("#form-errors")).to_be_visible()
    shot("assistance-motif-erreur")
    field(page, "Motif").fill("Appel de l'usager, identité vérifiée")
    page.get_by_role("button", name="Lever le délai de connexion").click()
    expect(page.locator(".fr-alert--success")).to_be_visible()
    shot("assistance-delai-leve")
    page.get_by_role("link", name="Historique de sécurité de cet espace").click()
    shot("assistance-historique-espace")
    page.get_by_role("link", name="Historique des actions des agents").click()
    shot("assistance-historique-agents")


def test_screenshots_of_sharing(shot_page, settings, tmp_path):
    """Issue 15 and J17: the dossier page, J12 (list, designate, confirm, designated), J13 (list,
    form, recap, offered, received), J14 (form, services, recap, letter sent), J17 (form, code sent)."""
    from tests import companies as known
    from tests.factories import SpaceFactory
    from tests.habilitations import builders

    page, shot = shot_page, shot_page.shot
    settings.COMPANY_REGISTER = "tests.companies.KnownCompanies"
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    known.add_demo_companies()
    try:
        space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
        for code in ("declarer_tva", "payer_tva"):
            builders.grant(space, known.MARTIN, code, name="SARL MARTIN DISTRIBUTION")
        other = SpaceFactory(civility="MME", last_name="Lefèvre-Dupont", first_name="Anne-Sophie")
        cabinet = SpaceFactory(civility="M", last_name="de la Fontaine-Saint-Aubin", first_name="Jean-Christophe")
        dupont = SpaceFactory(last_name="Dupont", first_name="Jean-Édouard")
        builders.grant(dupont, known.DUPONT, "declarer_tva", name="DUPONT ET FILS")
        builders.grant(dupont, known.DUPONT, "payer_cfe", name="DUPONT ET FILS")
        builders.delegate(dupont, space, known.DUPONT, ("declarer_tva", "payer_cfe"))
        page.goto("/")
        field(page, "Adresse électronique").fill("lila.rosemonde@exemple.fr")
        field(page, "Mot de passe").fill(STRONG_PASSWORD)
        field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
        page.get_by_role("button", name="Se connecter").click()
        expect(page).to_have_url(re.compile(r"/espace$"))
        page.goto(f"/espace/dossiers/{known.MARTIN}")
        shot("dossier")

        page.goto("/espace/partage/suppleants")
        shot("j12-suppleants-vide")
        page.get_by_role("link", name="Désigner un administrateur suppléant").click()
        shot("j12-designer")
        field(page, "Numéro d'abonné de l'espace professionnel").fill(other.subscriber_number)
        field(page, "Nom du titulaire de cet espace").fill("Lefèvre-Dupont")
        page.get_by_role("button", name="Continuer").click()
        expect(page.get_by_role("heading", level=1, name="Confirmer l'administrateur suppléant")).to_be_visible()
        shot("j12-confirmer")
        page.get_by_role("button", name="Confirmer").click()
        expect(page.locator(".fr-alert--success")).to_be_visible()
        shot("j12-suppleant-designe")

        page.goto("/espace/partage/delegations")
        shot("j13-delegations-recue")
        page.goto(f"/espace/dossiers/{known.MARTIN}/delegations/deleguer")
        shot("j13-deleguer")
        tick(page, page.get_by_role("group", name="Déclarer", exact=True).get_by_role("checkbox", name="TVA", exact=True))
        field(page, "Numéro d'abonné de l'espace professionnel").fill(cabinet.subscriber_number)
        field(page, "Nom du titulaire de cet espace").fill("de la Fontaine-Saint-Aubin")
        page.get_by_role("button", name="Continuer").click()
        expect(page.get_by_role("button", name="Valider")).to_be_visible()
        shot("j13-recapitulatif")
        page.get_by_role("button", name="Valider").click()
        expect(page.locator(".fr-alert--success")).to_be_visible()
        shot("j13-delegation-proposee")
        page.get_by_role("button", name="Accepter").click()
        expect(page.locator(".fr-alert--success")).to_be_visible()
        shot("j13-delegation-acceptee")

        page.goto("/espace/services/substitution")
        shot("j14-substitution")
        field(page, "SIREN de l'entreprise").fill(known.DUPONT)
        tick(page, page.get_by_role("radio", name="Représentant légal"))
        page.get_by_role("button", name="Afficher les services").click()
        shot("j14-substitution-services")
        tick(page, page.get_by_role("group", name="Payer", exact=True).get_by_role("checkbox", name=re.compile("^CFE")))
        page.get_by_role("button", name="Continuer").click()
        expect(page.get_by_role("heading", name="Récapitulatif de votre demande")).to_be_visible()
        shot("j14-recapitulatif")
        page.get_by_role("button", name="Valider").click()
        expect(page.get_by_role("heading", name="Votre demande de substitution est enregistrée")).to_be_visible()
        shot("j14-courrier-envoye")

        page.goto("/espace/entreprise/adresse")  # one dossier: straight to its form
        shot("j17-formulaire")
        field(page, "Nouvelle adresse électronique de l'entreprise").fill("contact@martin-distribution.fr")
        field(page, "Confirmation de la nouvelle adresse électronique de l'entreprise").fill("contact@martin-distribution.fr")
        page.get_by_role("button", name="Valider").click()
        expect(page.locator(".fr-alert--success")).to_be_visible()
        shot("j17-code-envoye")
    finally:
        known.KNOWN.clear()
