"""What the browser tests share: page checks (axe-core, console, CSP, reflow), keyboard moves,
the captcha, the mailbox, the recap PDF and a certificate session."""

import io
import re
from importlib import import_module
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from pypdf import PdfReader

from accounts.middleware import AUTH_AT_KEY, SEEN_AT_KEY
from core import clock

CODE_LINE = re.compile(r"^\s*([A-Za-z0-9]{12})\s*$", re.MULTILINE)
BLOCKING_IMPACTS = ("serious", "critical")
_AXE = Axe()

# A securitypolicyviolation listener in every document, reporting to Python: it sees what
# the console text might word differently (and runs before any page script).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__reportCspViolation({
    page: location.href, directive: e.violatedDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample
  });
});
"""


# --- What happens in the page behind our back --------------------------------------------------


class Watch:
    """Collects JavaScript errors, console errors, CSP refusals and failed requests of one page."""

    def __init__(self, page: Page):
        self.page = page
        self.messages: list[str] = []  # every console line, for the failure report
        self.problems: list[str] = []
        self._seen = 0
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"erreur JavaScript : {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.expose_function("__reportCspViolation", self._csp)
        page.add_init_script(_CSP_LISTENER)

    def _console(self, message) -> None:
        where = message.location.get("url", "") if message.location else ""
        line = f"console.{message.type} : {message.text} ({where})"
        self.messages.append(line)
        text = message.text
        # Chromium words CSP refusals "Refused to …" or "… violates the following Content Security Policy".
        if message.type == "error" or "Refused to" in text or "Content Security Policy" in text:
            self.problems.append(line)

    def _csp(self, violation: dict) -> None:
        self.problems.append(
            "violation CSP : {directive} bloque {blocked!r} ({source}:{line}) sur {page} {sample}".format(**violation)
        )

    def _request_failed(self, request) -> None:
        failure = request.failure or ""
        # A fetch still running when the person leaves the page (the live password level) is
        # cancelled by the browser: that is not a fault.
        if "ERR_ABORTED" not in failure:
            self.problems.append(f"requête en échec : {request.method} {request.url} ({failure})")

    def _response(self, response) -> None:
        request = response.request
        if response.status >= 500 or (response.status >= 400 and request.resource_type != "document"):
            self.problems.append(f"réponse {response.status} : {request.method} {response.url}")

    def new_problems(self) -> list[str]:
        problems = self.problems[self._seen :]
        self._seen = len(self.problems)
        return problems

    def assert_clean(self, where: str) -> None:
        problems = self.new_problems()
        assert not problems, f"{where} ({self.page.url}) :\n" + "\n".join(f"  - {p}" for p in problems)

    def describe(self) -> str:
        return "Console :\n" + "\n".join(f"  {m}" for m in self.messages[-30:])


# --- Checks of a whole page ----------------------------------------------------------------------


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core : {len(violations)} violation(s) grave(s) sur {url}"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']} : {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    · {node['target']} — {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    · … et {len(violation['nodes']) - 5} autre(s)")
    return "\n".join(lines)


def check_accessibility(page: Page) -> list[dict]:
    """Fail on any serious or critical axe-core violation; return the lesser ones."""
    violations = _AXE.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, format_violations(page.url, blocking)
    return [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]


def check_no_horizontal_scroll(page: Page) -> None:
    """Nothing wider than the screen (RGAA 10.11). A mobile browser widens its layout viewport
    to fit wide content (innerWidth grows too), so the device's width is the reference."""
    screen = page.viewport_size["width"]
    widths = page.evaluate(
        """(screen) => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
             wide: Array.from(document.querySelectorAll("body *"))
               .filter(el => el.getBoundingClientRect().right > screen + 1)
               .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                 + (typeof el.className === "string" && el.className.trim()
                    ? "." + el.className.trim().split(/\\s+/).join(".") : "")
                 + " « " + (el.textContent || "").trim().slice(0, 40) + " » ("
                 + Math.round(el.getBoundingClientRect().right) + "px)")})""",
        screen,
    )
    assert widths["scroll"] <= widths["inner"] <= screen, (
        f"défilement horizontal sur {page.url} : {widths['scroll']}px de contenu, fenêtre de {widths['inner']}px, "
        f"écran de {screen}px ; dépassent : {widths['wide']}"
    )


def check_dsfr_loaded(page: Page) -> None:
    """The DSFR stylesheet really applies (a missing file or a wrong SRI digest would not)."""
    sheets = page.evaluate(
        """() => Array.from(document.styleSheets).map(s => {
              let rules = -1; try { rules = s.cssRules.length; } catch (e) {}
              return {href: s.href || "", rules: rules};
           })"""
    )
    dsfr = [s for s in sheets if re.search(r"/dsfr(\.min)?\.css", s["href"])]
    assert dsfr and all(s["rules"] > 0 for s in dsfr), f"feuille DSFR non chargée sur {page.url} : {sheets}"
    own = [s for s in sheets if s["href"].endswith("/core/css/espace.css")]
    assert own and own[0]["rules"] > 0, f"espace.css non chargée sur {page.url} : {sheets}"
    # DSFR rules in effect: its colour tokens are defined.
    token = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--background-default-grey')")
    assert token.strip(), f"les variables du DSFR ne s'appliquent pas sur {page.url}"


class Visits:
    """Checks every page a journey goes through, and remembers which ones were checked."""

    def __init__(self, page: Page, *, axe: bool = True, reflow: bool = False):
        self.page, self.axe, self.reflow = page, axe, reflow
        self.names: list[str] = []
        self.minor: dict[str, list[str]] = {}

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("load")
        check_dsfr_loaded(page)
        if self.axe:
            lesser = check_accessibility(page)
            if lesser:
                self.minor[name] = [f"{v['id']} ({v['impact']})" for v in lesser]
        if self.reflow:
            check_no_horizontal_scroll(page)
        page.watch.assert_clean(name)
        self.names.append(name)


# --- Forms by label ----------------------------------------------------------------------------


def field(page: Page, label: str) -> Locator:
    """The control whose label *starts* with label (DSFR labels also hold the hint and the '*')."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"(?![\w'’])"))


def tick(page: Page, control: Locator) -> None:
    """Tick a checkbox or radio as a person does: DSFR hides the box and draws it on its label."""
    control_id = control.get_attribute("id")
    page.locator(f"label[for='{control_id}']").click()
    expect(control).to_be_checked()


def captcha_answer(page: Page) -> str:
    """Read the captcha as a person reads the image: through antirobot.testing, no test mode."""
    from antirobot.testing import solve

    key = page.locator("input[name=captcha_key]").input_value()
    assert key, "pas de clé de captcha dans la page"
    return solve(key)


# --- Mail and PDF ------------------------------------------------------------------------------


def activation_code(smtp_server, email: str) -> str:
    """Deliver the outbox to the real SMTP server and read the code in the message for email."""
    from mailer.worker import deliver_due

    before = len(smtp_server.messages)
    deliver_due()
    received = smtp_server.wait_for(before + 1, timeout=10)
    for message in reversed(received):
        if email in message.to:
            assert message.subject == "Espace professionnel - Activation de l'espace", message.subject
            codes = CODE_LINE.findall(message.body)
            assert len(codes) == 1, f"code d'activation introuvable ou ambigu :\n{message.body}"
            return codes[0]
    raise AssertionError(f"aucun courriel pour {email} parmi {[m.to for m in received]}")


def pdf_text(download) -> str:
    """The recap's text, whitespace collapsed."""
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert len(reader.pages) == 1, f"{len(reader.pages)} pages"
    return " ".join(reader.pages[0].extract_text().split())


# --- Keyboard only -----------------------------------------------------------------------------

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "(body)";
  const name = (el.labels && el.labels.length ? el.labels[0].textContent : null)
    || el.getAttribute("aria-label") || el.textContent || el.value || "";
  return el.tagName.toLowerCase() + (el.type ? "[" + el.type + "]" : "") + " « "
    + name.replace(/\\s+/g, " ").trim().slice(0, 60) + " »";
}"""


def focused(page: Page) -> str:
    """A short description of the focused element, for messages."""
    return page.evaluate(_FOCUSED)


def has_focus(target: Locator) -> bool:
    return target.evaluate("el => el === document.activeElement")


_RING = """el => {
    const ring = s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" ");
    const parts = [ring(getComputedStyle(el))];
    // DSFR draws the focus of a checkbox or radio on its label.
    for (const label of el.labels || []) {
      parts.push(ring(getComputedStyle(label)), ring(getComputedStyle(label, "::before")));
    }
    return parts.join(" | ");
}"""


def tab_to(page: Page, target: Locator, *, max_tabs: int = 80, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until target has the focus; fail if it is never reached.

    target is a locator by label or role (so by accessible name): reaching it this way is the
    proof that a keyboard user can. Also fails when the focus does not change how the target
    looks (RGAA 10.7: visible focus).
    """
    expect(target).to_be_visible()
    if has_focus(target):  # already there (a script moved the focus to it)
        return
    unfocused = target.evaluate(_RING)
    key = "Shift+Tab" if backwards else "Tab"
    path = []
    for _ in range(max_tabs):
        page.keyboard.press(key)
        if has_focus(target):
            assert target.evaluate(_RING) != unfocused, f"le focus sur {focused(page)} n'est pas visible ({page.url})"
            return
        path.append(focused(page))
    raise AssertionError(
        f"{target} jamais atteint en {max_tabs} × {key} sur {page.url} ; parcours :\n  " + "\n  ".join(path)
    )


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def press_and_wait(page: Page, key: str = "Enter") -> None:
    """Press key (Enter on a link or in a form) and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


# --- Sessions ----------------------------------------------------------------------------------


def certificate_session(page, live_server, space) -> None:
    """Give the browser the session J7's certificate login opens (the keys open_session sets)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    now = clock.now().timestamp()
    store.update(
        {
            SESSION_KEY: str(space.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: space.get_session_auth_hash(),
            AUTH_AT_KEY: now,
            SEEN_AT_KEY: now,
        }
    )
    store.create()
    host = urlparse(live_server.url).hostname
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "domain": host, "path": "/"}]
    )
