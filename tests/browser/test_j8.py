"""J8 "Opter pour l'accès sans certificat" in Debian's chromium: inside the space with the mouse,
from the login page with the keyboard alone, each up to a password login with the same
subscriber number. Codes come from the real SMTP server on loopback; axe-core, the console
and the CSP are checked on every page (Visits)."""

import re

import pytest
from playwright.sync_api import expect

from core import clock
from accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY
from accounts.models import AccessMode, Space
from tests.browser.helpers import (
    CODE_LINE,
    Visits,
    activation_code,
    captcha_answer,
    certificate_session,
    field,
    press_and_wait,
    tab_to,
    type_into,
)
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CABINET = "cabinet@exemple.fr"
ANSWER = "Mon chat Gribouille"


@pytest.fixture
def space(transactional_db):
    return SpaceFactory(access_mode=AccessMode.CERTIFICATE, login_email=None, contact_email=CABINET)


def recovery_code(smtp_server) -> str:
    from mailer.worker import deliver_due

    before = len(smtp_server.messages)
    deliver_due()
    received = smtp_server.wait_for(before + 1, timeout=10)
    message = received[-1]
    assert CABINET in message.to and "Option" in message.subject, message.subject
    return CODE_LINE.findall(message.body)[0]


def test_j8_inside_the_space_up_to_password_login(page, live_server, smtp_settings, space):
    visits = Visits(page)
    certificate_session(page, live_server, space)
    page.goto("/espace")
    visits.check("accueil avec certificat")
    page.get_by_role("link", name="Opter pour l'accès sans certificat").click()

    expect(page.get_by_role("heading", name="Ce changement est irrévocable", exact=True)).to_be_visible()
    visits.check("avertissement")
    page.get_by_role("button", name="Opter pour l'accès sans certificat").click()

    expect(page.get_by_role("heading", name="Créer vos identifiants", exact=True)).to_be_visible()
    expect(field(page, "Votre adresse électronique")).to_have_value(CABINET)
    expect(page.get_by_text("Important : cette adresse électronique ne pourra être utilisée")).to_be_visible()
    field(page, "Votre adresse électronique").fill("lila@exemple.fr")
    field(page, "Confirmez votre nouvelle adresse électronique").fill("lila@exemple.fr")
    field(page, "Votre mot de passe").fill(STRONG_PASSWORD)
    expect(page.locator("#password-level")).to_have_text(re.compile(r"^Niveau de sécurité : (Normal|Fort)$"))
    field(page, "Confirmez votre nouveau mot de passe").fill(STRONG_PASSWORD)
    visits.check("créer vos identifiants")
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Option pour l'accès sans certificat", exact=True)).to_be_visible()
    field(page, "Sélectionnez une question de confiance").select_option("Quel est votre plat préféré ?")
    field(page, "Saisissez la réponse à la question de confiance").fill(ANSWER)
    visits.check("question de confiance")
    page.get_by_role("button", name="Valider").click()

    expect(page.get_by_role("heading", name="Activation de votre espace abonné", exact=True)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("lila@exemple.fr")
    visits.check("code envoyé")
    code = activation_code(smtp_settings, "lila@exemple.fr")
    page.get_by_role("link", name="Activez votre espace abonné").click()

    field(page, "Saisissez le code d'activation").fill(code)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Continuer").click()
    field(page, "Saisissez votre adresse électronique de connexion").fill("lila@exemple.fr")
    page.get_by_role("button", name="Continuer").click()

    transformed = "Votre espace avec certificat a bien été transformé en espace sans certificat."
    expect(page.get_by_text(transformed)).to_be_visible()
    expect(page.get_by_text("Vous conservez le même numéro d'abonné.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(space.subscriber_number)
    visits.check("espace transformé")
    page.get_by_role("link", name="Accédez à votre espace abonné").click()

    # The certificate session ended with the activation: the login page, then a password login.
    field(page, "Adresse électronique").fill("lila@exemple.fr")
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text(f"Abonné : {space.subscriber_number}")).to_be_visible()
    expect(page.get_by_role("link", name="Opter pour l'accès sans certificat")).to_have_count(0)
    visits.check("accueil sans certificat")
    page.watch.assert_clean("fin du parcours")


def test_j8_outside_the_space_keyboard_only(page, smtp_settings, space):
    """From the login page with Tab, typing and Enter only, up to a password login.

    The email on file, proven by the 1 h code, is kept as the login: the option applies at the
    trust step, with no activation code (issue 13 item 3)."""
    visits = Visits(page)
    page.goto("/")
    tab_to(page, page.get_by_role("link", name="J'opte pour l'accès avec un mot de passe"))
    press_and_wait(page)

    expect(page.get_by_role("heading", name="J'opte pour l'accès avec un mot de passe", exact=True)).to_be_visible()
    visits.check("option hors espace")
    type_into(page, field(page, "Votre numéro d'abonné"), space.subscriber_number)
    type_into(page, field(page, "L'adresse électronique de votre espace avec certificat"), CABINET)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)

    expect(page.get_by_text("Si ces informations correspondent à un espace avec certificat")).to_be_visible()
    visits.check("code hors espace")
    type_into(page, field(page, "Saisissez le code reçu par courriel"), recovery_code(smtp_settings))
    press_and_wait(page)

    expect(page.get_by_role("heading", name="Créer vos identifiants", exact=True)).to_be_visible()
    expect(field(page, "Votre adresse électronique")).to_have_value(CABINET)
    expect(page.get_by_text("Étape 3 sur 5")).to_be_visible()
    expect(page.get_by_text(f"Si vous gardez l'adresse {CABINET}, qui vient de recevoir votre code")).to_be_visible()
    visits.check("identifiants hors espace")
    type_into(page, field(page, "Votre mot de passe"), STRONG_PASSWORD)
    # The live level has answered (no meter call still running when the form is sent).
    expect(page.locator("#password-level")).to_have_text(re.compile(r"^Niveau de sécurité : (Normal|Fort)$"))
    type_into(page, field(page, "Confirmez votre nouveau mot de passe"), STRONG_PASSWORD)
    press_and_wait(page)

    expect(page.get_by_role("heading", name="Option pour l'accès sans certificat", exact=True)).to_be_visible()
    type_into(page, field(page, "Saisissez la réponse à la question de confiance"), ANSWER)
    press_and_wait(page)

    # The login email kept is the address the code just proved: no second code (issue 13 item 3).
    expect(page.get_by_text("Étape 5 sur 5")).to_be_visible()
    transformed = "Votre espace avec certificat a bien été transformé en espace sans certificat."
    expect(page.get_by_text(transformed)).to_be_visible()
    number = f"Votre inscription est enregistrée sous le numéro {space.subscriber_number}."
    expect(page.get_by_role("main")).to_contain_text(number)
    visits.check("espace transformé hors espace")
    expect(page.get_by_text("Vous conservez le même numéro d'abonné.")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Accédez à votre espace abonné"))
    press_and_wait(page)
    type_into(page, field(page, "Adresse électronique"), CABINET)
    type_into(page, field(page, "Mot de passe"), STRONG_PASSWORD)
    type_into(page, field(page, "Recopiez les caractères de l'image"), captcha_answer(page))
    press_and_wait(page)
    expect(page.get_by_text(f"Abonné : {space.subscriber_number}")).to_be_visible()
    space.refresh_from_db()
    assert space.access_mode == AccessMode.PASSWORD and space.login_email == CABINET
    page.watch.assert_clean("fin du parcours")
