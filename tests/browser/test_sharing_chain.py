"""Issue 15's chain in Debian's chromium, on one world, each space in its own browser context:
the titulaire T designates S as administrateur suppléant (J12) → S delegates Déclarer › TVA to the
cabinet C (J13) → C accepts and sees the dossier → T puts S on hold: S loses the dossier (its
service page is a 404), C's delegation stays (docs/decisions.md, J12) → a new space N substitutes
T on both services (J14, the letter's code typed in J2's one activation entry) → T, S and C have
lost the services, and each was emailed. axe-core, the console and the CSP on every page at
1280 px; the main pages also at 375 px, with nothing to scroll sideways."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from catalogue.models import Service
from habilitations.models import Delegation, Habilitation, Role, Suppleance
from mailer.models import OutboxEmail
from tests.browser.conftest import MOBILE, _open_page
from tests.browser.helpers import Visits, captcha_answer, field, press_and_wait, tab_to, type_into
from tests.factories import STRONG_PASSWORD, SpaceFactory
from tests.habilitations.builders import grant
from tests.habilitations.letters import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARTIN_HOME = "SARL MARTIN DISTRIBUTION"
TVA_PAGE = "/espace/dossiers/{siren}/services/declarer_tva"


@pytest.fixture
def world(transactional_db, companies, spool):
    """T titulaire of Déclarer › TVA and Payer › TVA on MARTIN; S, C and N, three other spaces."""
    if not Service.objects.exists():  # a transactional test before this one flushed the catalogue
        importlib.import_module("catalogue.migrations.0002_guide_001").load(apps, None)
    t = SpaceFactory(login_email="paul.martin@exemple.fr", civility="M", last_name="MARTIN", first_name="Paul")
    for code in ("declarer_tva", "payer_tva"):
        grant(t, companies.MARTIN, code, name=MARTIN_HOME)
    s = SpaceFactory(login_email="anne.lefevre@exemple.fr", civility="MME", last_name="Lefèvre-Dupont", first_name="Anne")
    c = SpaceFactory(login_email="cabinet.roux@exemple.fr", civility="M", last_name="Roux", first_name="Henri")
    n = SpaceFactory(login_email="nora.benali@exemple.fr", civility="MME", last_name="Benali", first_name="Nora")
    return {"T": t, "S": s, "C": c, "N": n}


def log_in(page, space) -> None:
    """Sign in with the keyboard alone, as test_adhesion does."""
    page.goto("/")
    type_into(page, field(page, "Adresse électronique"), space.login_email)
    type_into(page, field(page, "Mot de passe"), STRONG_PASSWORD)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)
    expect(page).to_have_url(re.compile(r"/espace$"))


def go(page, name: str) -> None:
    """Tab to the link (or button) called name and press Enter."""
    tab_to(page, page.get_by_role("link", name=name, exact=True), max_tabs=120)
    press_and_wait(page)


def submit(page, button: str) -> None:
    tab_to(page, page.get_by_role("button", name=button, exact=True), max_tabs=120)
    press_and_wait(page)


def block(page, title: str):
    return page.locator("section", has=page.get_by_role("heading", name=title, exact=True))


def subjects_to(space) -> list[str]:
    return [mail.subject for mail in OutboxEmail.objects.filter(to=space.contact_email).order_by("id")]


def phone(request, chromium, live_server, tmp_path, space):
    """A phone's context for space, signed in (a generator: close it with .close())."""
    pages = _open_page(request, chromium, live_server, tmp_path / space.last_name, MOBILE)
    page = next(pages)
    log_in(page, space)
    return page, pages


def test_issue_15_designate_delegate_accept_hold_then_substitute(request, chromium, live_server, tmp_path, world, companies, spool):
    t, s, c, n = world["T"], world["S"], world["C"], world["N"]
    siren = companies.MARTIN
    contexts = {}

    def open_as(key):
        pages = _open_page(request, chromium, live_server, tmp_path / key, {"viewport": {"width": 1280, "height": 900}})
        page = next(pages)
        contexts[key] = pages
        log_in(page, world[key])
        return page, Visits(page)

    try:
        # 1. T designates S (J12), keyboard only.
        tp, tv = open_as("T")
        go(tp, "Gérer les services")
        go(tp, "Gérer mes administrateurs suppléants")
        expect(tp.get_by_role("heading", level=1, name="Gérer mes administrateurs suppléants")).to_be_visible()
        tv.check("suppléants, liste vide")
        go(tp, "Désigner un administrateur suppléant")
        tv.check("désigner un suppléant")
        type_into(tp, field(tp, "Numéro d'abonné de l'espace professionnel"), s.subscriber_number)
        type_into(tp, field(tp, "Nom du titulaire de cet espace"), "lefevre-dupont")
        submit(tp, "Continuer")
        expect(tp.get_by_role("heading", level=1, name="Confirmer l'administrateur suppléant")).to_be_visible()
        expect(tp.get_by_text("Madame Lefèvre-Dupont Anne")).to_be_visible()
        tv.check("confirmer le suppléant")
        submit(tp, "Confirmer")
        expect(tp.locator(".fr-alert--success")).to_contain_text("est désormais votre administrateur suppléant")
        tv.check("suppléant désigné")

        # 2. S sees MARTIN, delegates Déclarer › TVA to C from the dossier page (J13).
        sp, sv = open_as("S")
        expect(block(sp, "Dossier courant")).to_contain_text(MARTIN_HOME)
        sv.check("accueil du suppléant")
        go(sp, "Gérer les services")
        go(sp, "Gérer mes délégations")
        expect(sp.get_by_role("heading", level=1, name="Gérer mes délégations")).to_be_visible()
        sv.check("délégations du suppléant")
        sp.goto(f"/espace/dossiers/{siren}")
        expect(sp.get_by_role("heading", level=1, name=MARTIN_HOME)).to_be_visible()
        sv.check("page du dossier")
        go(sp, "Déléguer des services")
        expect(sp.get_by_role("heading", level=1, name="Déléguer des services")).to_be_visible()
        sv.check("déléguer, formulaire")
        tva = sp.get_by_role("group", name="Déclarer", exact=True).get_by_role("checkbox", name="TVA", exact=True)
        tab_to(sp, tva, max_tabs=120)
        sp.keyboard.press("Space")
        expect(tva).to_be_checked()
        type_into(sp, field(sp, "Numéro d'abonné de l'espace professionnel"), c.subscriber_number)
        type_into(sp, field(sp, "Nom du titulaire de cet espace"), "ROUX")
        submit(sp, "Continuer")
        main = sp.get_by_role("main")
        expect(main).to_contain_text("Roux Henri")
        expect(main.get_by_role("heading", name="Services délégués")).to_be_visible()
        expect(main.locator("li", has_text=re.compile(r"^TVA$"))).to_have_count(1)
        sv.check("déléguer, récapitulatif")
        submit(sp, "Valider")
        expect(sp.locator(".fr-alert--success")).to_be_visible()
        sv.check("délégation proposée")

        # 3. C accepts it in "Délégations reçues" and sees the dossier on its home.
        cp, cv = open_as("C")
        go(cp, "Gérer les services")
        go(cp, "Gérer mes délégations")
        expect(cp.get_by_role("heading", name="Délégations reçues")).to_be_visible()
        cv.check("délégations reçues")
        # Its last column ("Action") within the table, not hidden behind a sideways scroll.
        wrapper = cp.locator(".fr-table__content", has=cp.get_by_role("table", name="Délégations reçues"))
        assert wrapper.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "le tableau déborde à 1280 px"
        submit(cp, "Accepter")
        expect(cp.locator(".fr-alert--success")).to_be_visible()
        cv.check("délégation acceptée")
        cp.goto("/espace")
        expect(block(cp, "Dossier courant")).to_contain_text(MARTIN_HOME)
        expect(block(cp, "Mes services").get_by_role("link")).to_have_text(["TVA"])
        cv.check("accueil du délégataire")

        # 4. T puts S on hold: S loses the dossier, C keeps its delegation.
        tp.goto("/espace/partage/suppleants")
        submit(tp, "Mettre en veille")
        expect(tp.locator(".fr-alert--success")).to_contain_text("est mis en veille")
        tv.check("suppléant en veille")
        sp.goto("/espace")
        expect(sp.get_by_role("main")).not_to_contain_text(MARTIN_HOME)
        sv.check("accueil du suppléant en veille")
        assert sp.goto(TVA_PAGE.format(siren=siren)).status == 404
        sp.watch.new_problems()  # the 404 document's console line is the expected refusal
        cp.reload()
        expect(block(cp, "Mes services").get_by_role("link")).to_have_text(["TVA"])
        assert cp.goto(TVA_PAGE.format(siren=siren)).status == 200
        assert Delegation.objects.get().state == Delegation.State.ACCEPTED

        # The main pages at a phone's width.
        for key, url, name in (
            ("T", "/espace/partage/suppleants", "suppléants"),
            ("C", "/espace/partage/delegations", "délégations"),
            ("N", "/espace/services/substitution", "substitution"),
            ("C", f"/espace/dossiers/{siren}", "page du dossier"),
        ):
            page, pages = phone(request, chromium, live_server, tmp_path / name, world[key])
            try:
                page.goto(url)
                if name == "délégations":  # read as stacked rows, as J12's list, not a table to scroll
                    cell = page.locator("td[data-label='Donnée par']")
                    assert cell.evaluate("(td) => getComputedStyle(td).display") == "block"
                    assert cell.evaluate("(td) => getComputedStyle(td, '::before').content") == '"Donnée par : "'
                Visits(page, reflow=True).check(f"{name} à 375 px")
            finally:
                pages.close()

        # 5. N substitutes T on both services (J14), the code typed in J2's entry.
        np_, nv = open_as("N")
        go(np_, "Gérer les services")
        go(np_, "Remplacer le titulaire (substitution)")
        expect(np_.get_by_role("heading", level=1, name="Remplacer le titulaire (substitution)")).to_be_visible()
        nv.check("substitution, formulaire")
        type_into(np_, field(np_, "SIREN de l'entreprise"), siren)
        legal = np_.get_by_role("radio", name="Représentant légal")
        tab_to(np_, legal, max_tabs=120)
        np_.keyboard.press("Space")
        expect(legal).to_be_checked()
        submit(np_, "Afficher les services")
        expect(legal).to_be_checked()
        for family in ("Déclarer", "Payer"):
            box = np_.get_by_role("group", name=family, exact=True).get_by_role("checkbox", name="TVA", exact=True)
            tab_to(np_, box, max_tabs=120)
            np_.keyboard.press("Space")
            expect(box).to_be_checked()
        nv.check("substitution, services")
        submit(np_, "Continuer")
        expect(np_.get_by_role("heading", name="Récapitulatif de votre demande")).to_be_visible()
        nv.check("substitution, récapitulatif")
        submit(np_, "Valider")
        expect(np_.get_by_role("heading", name="Votre demande de substitution est enregistrée")).to_be_visible()
        nv.check("substitution, courrier envoyé")
        code = last_code(spool)
        go(np_, "Activer")
        type_into(np_, field(np_, "Saisissez le code d'activation"), code)
        type_into(np_, field(np_, "Recopiez les caractères de l'image"), captcha_answer(np_))
        press_and_wait(np_)
        type_into(np_, field(np_, "Saisissez votre adresse électronique de connexion"), n.login_email)
        press_and_wait(np_)
        expect(np_.get_by_role("heading", name="Vous êtes désormais titulaire de ces services")).to_be_visible()
        nv.check("substitution effectuée")

        tp.goto("/espace")
        expect(tp.get_by_role("main")).not_to_contain_text(MARTIN_HOME)
        cp.goto("/espace")
        expect(cp.get_by_role("main")).not_to_contain_text(MARTIN_HOME)
        assert cp.goto(TVA_PAGE.format(siren=siren)).status == 404
        cp.watch.new_problems()
        assert Suppleance.objects.get().state == Suppleance.State.ENDED
        assert Delegation.objects.get().state == Delegation.State.ENDED
        live = Habilitation.objects.filter(ended_at__isnull=True)
        assert sorted((h.space_id, h.role) for h in live) == [(n.pk, Role.TITULAIRE)] * 2
        assert "Espace professionnel - Vous n'êtes plus titulaire de services d'une entreprise" in subjects_to(t)
        assert "Espace professionnel - Votre rôle d'administrateur suppléant a pris fin" in subjects_to(s)
        assert "Espace professionnel - Une délégation de services a pris fin" in subjects_to(c)
        for page in (tp, sp, cp, np_):
            page.watch.assert_clean("fin du parcours")

    finally:
        for pages in contexts.values():
            pages.close()
