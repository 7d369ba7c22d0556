"""RGAA 11.10 / 3.2 as a person meets a refused form: the focus goes to the error summary, the
summary links each wrong field, the title says "Erreur : ", greyed entries stay readable — at
1280 and 375 px, with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, _open_page
from tests.browser.helpers import captcha_answer, check_accessibility, check_no_horizontal_scroll, field, focused, tick
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["1280", "375"])
def any_page(request, chromium, live_server, transactional_db, tmp_path):
    yield from _open_page(request, chromium, live_server, tmp_path, DESKTOP if request.param == "1280" else MOBILE)


def test_rgaa_11_10_refused_form_focuses_the_summary_whose_links_reach_each_field(any_page):
    page = any_page
    page.goto("/creation/conditions-generales?mode=expert")
    tick(page, field(page, "Je reconnais avoir pris connaissance"))
    page.get_by_role("button", name="Valider").click()
    field(page, "Votre adresse électronique").fill("pas-une-adresse")
    page.get_by_role("button", name="Valider").click()

    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "form-errors", focused(page)
    assert page.title().startswith("Erreur : ")
    link = summary.get_by_role("link", name=re.compile(r"^Votre adresse électronique :"))
    expect(link).to_be_visible()
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    # A refused form answers 400 (the console says so): axe-core and the reflow are checked here.
    check_accessibility(page)
    check_no_horizontal_scroll(page)


def test_rgaa_3_2_greyed_entries_have_enough_contrast(any_page):
    """The entries not offered here ("Mes autres services" of the home) are greyed with a colour
    of at least 4.5:1 on the page's white."""
    page = any_page
    space = SpaceFactory()
    page.goto("/")
    field(page, "Adresse électronique").fill(space.login_email)
    field(page, "Mot de passe").fill(STRONG_PASSWORD)
    field(page, "Recopiez les caractères de l'image").fill(captcha_answer(page))
    page.get_by_role("button", name="Se connecter").click()
    page.goto("/espace")
    greyed = page.locator(".espace-disabled").first
    ratio = page.evaluate(
        """(element) => {
          const rgb = (c) => c.match(/\\d+/g).slice(0, 3).map(Number);
          const lum = (c) => { const v = rgb(c).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                               return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
          const fg = lum(getComputedStyle(element).color);
          let node = element, bg = null;
          while (node && !bg) { const c = getComputedStyle(node).backgroundColor; if (!c.startsWith("rgba(0, 0, 0, 0)")) bg = c; node = node.parentElement; }
          const b = lum(bg || "rgb(255, 255, 255)");
          return (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);
        }""",
        greyed.element_handle(),
    )
    assert ratio >= 4.5, ratio
