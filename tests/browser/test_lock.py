"""R-THROTTLE-1 as a person meets it (issue 13 item 1), at 1280 and 375 px with axe-core: after
5 wrong passwords the login page says "Trop de tentatives : réessayez dans N minutes (à HHhMM,
heure de Paris)", for a space's email (given its right password) and for an unknown email
alike; the message is the error summary (role=alert), which takes the focus; before the lock
the refusal is the plain one, which speaks of no lock."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from tests.browser.conftest import DESKTOP, MOBILE, _open_page
from tests.browser.helpers import (
    captcha_answer,
    check_accessibility,
    check_dsfr_loaded,
    check_no_horizontal_scroll,
    field,
    focused,
)
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WRONG = "un mauvais mot de passe de vingt caractères"
PLAIN = "L'adresse électronique ou le mot de passe est incorrect. Vérifiez votre saisie et réessayez."
LOCK = re.compile(r"^Trop de tentatives : réessayez dans (\d+) minutes? \(à (\d\d)h(\d\d), heure de Paris\)\.$")


@pytest.fixture(params=["1280", "375"])
def any_page(request, chromium, live_server, transactional_db, tmp_path):
    yield from _open_page(request, chromium, live_server, tmp_path, DESKTOP if request.param == "1280" else MOBILE)


def log_in(page, email, password):
    page.goto("/")
    field(page, "Adresse électronique").fill(email)
    field(page, "Mot de passe").fill(password)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Connexion à votre Espace professionnel")).to_be_visible()


def announced(page):
    """The error summary: shown, an alert, focused, and the page title says "Erreur : "."""
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "form-errors", focused(page)
    assert page.title().startswith("Erreur : "), page.title()
    return summary.locator("p").inner_text().strip()


def minute_up(moment):
    """The Paris wall-clock minute at or after moment (the message rounds the end up)."""
    at = clock.paris(moment)
    if at.second or at.microsecond:
        at = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return at


@pytest.mark.parametrize("who", ["espace", "adresse inconnue"])
def test_r_throttle_1_login_lock_says_until_when_and_is_announced(any_page, who):
    page = any_page
    email = "lila.rosemonde@exemple.fr"
    if who == "espace":
        SpaceFactory(login_email=email)
    else:
        email = "personne.inconnue@exemple.fr"
    for attempt in range(5):
        started = clock.now()
        log_in(page, email, WRONG)
        # Before the lock: the plain refusal, which speaks of no lock.
        assert announced(page) == PLAIN, attempt
    ended = clock.now()
    expect(page.get_by_text(re.compile("momentanément|bloqué|Trop de tentatives"))).to_have_count(0)

    # The 6th attempt, the right password for the space: refused unchecked, and said so.
    log_in(page, email, STRONG_PASSWORD)
    text = announced(page)
    shown = LOCK.match(text)
    assert shown, text
    minutes, hour, minute = (int(part) for part in shown.groups())
    # The block started at the 5th failure, between started and ended, and lasts 1 minute.
    earliest, latest = minute_up(started + timedelta(minutes=1)), minute_up(ended + timedelta(minutes=1))
    assert (earliest.hour, earliest.minute) <= (hour, minute) <= (latest.hour, latest.minute), (text, earliest, latest)
    assert minutes == 1  # the first delay: 1 minute from the 5th failure, rounded up
    expect(page.get_by_text(PLAIN)).to_have_count(0)
    # A refused login answers 400, which the console reports: nothing else may show there.
    check_dsfr_loaded(page)
    check_accessibility(page)
    check_no_horizontal_scroll(page)
    problems = page.watch.new_problems()
    assert all("400" in problem for problem in problems), problems
