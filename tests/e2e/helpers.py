"""What a person does in the browser, written once for the journey tests."""

import io
import re

from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from antirobot.testing import solve
from mailer.worker import deliver_due

CODE_LINE = re.compile(r"^([A-Za-z0-9]{12})\r?$", re.M)
_axe = Axe()


def check_accessibility(page) -> None:
    """Fail on any serious or critical axe-core violation of the current page."""
    violations = [v for v in _axe.run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not violations, (
        page.url
        + "\n"
        + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations
        )
    )


def check_page(page) -> None:
    """Every visited page: accessible, no JavaScript error, no CSP refusal, no horizontal scroll."""
    check_accessibility(page)
    assert not page.problems, page.problems
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "défilement horizontal"


def captcha_answer(page) -> str:
    return solve(page.locator("input[name=captcha_key]").input_value())


def activation_code(smtp_server, email: str) -> str:
    """Deliver the outbox to the real SMTP server and read the code a person would read."""
    deliver_due()
    for message in reversed(smtp_server.wait_for(1)):
        if email in message.to:
            return CODE_LINE.search(message.body).group(1)
    raise AssertionError(f"aucun courriel pour {email}")


def pdf_text(download) -> str:
    return " ".join(PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages[0].extract_text().split())


def focused_name(page) -> str:
    """Return the accessible name of the focused element (its label, or its text)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return "";
            if (el.labels && el.labels.length) return el.labels[0].textContent.replace(/\\s+/g, " ").trim();
            return (el.getAttribute("aria-label") || el.textContent || el.value || "").replace(/\\s+/g, " ").trim();
        }"""
    )


def tab_to(page, name: str, max_tabs: int = 80) -> None:
    """Press Tab until the element whose accessible name starts with name has the focus."""
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if focused_name(page).startswith(name):
            return
    page.screenshot(path="/tmp/keyboard-failure.png", full_page=True)
    raise AssertionError(f"« {name} » n'est pas atteignable au clavier ({page.url})")


def type_into(page, name: str, text: str) -> None:
    tab_to(page, name)
    page.keyboard.type(text)


def follow(page, key: str) -> None:
    """Press key on a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
