"""Steps the habilitations tests share (not a test module): a session, a request and its letter."""

from html.parser import HTMLParser
from pathlib import Path

from accounts.middleware import AUTH_AT_KEY, SEEN_AT_KEY
from core import clock
from habilitations.models import AdhesionRequest
from habilitations.services import adhesion
from tests import companies
from tests.codes.letter_files import code_in
from tests.habilitations.letters import letters_in

SERVICES = ("consulter_compte_fiscal", "declarer_tva", "payer_tva")


def enter(client, space) -> None:
    """Open a session of space as the login does (the session keys its middleware checks)."""
    client.force_login(space)
    session = client.session
    session[AUTH_AT_KEY] = session[SEEN_AT_KEY] = clock.now().timestamp()
    session.save()


def letters(spool: Path) -> set[Path]:
    """Hand the letters due over to spool (the worker), then return its PDFs."""
    return set(letters_in(spool))


def ask(capture, spool: Path, space, siren: str = companies.MARTIN, services=SERVICES, **kwargs):
    """Request an adhesion as J9 does (its letter written after the commit); return (request, code)."""
    before = letters(spool)
    with capture(execute=True):
        made = adhesion.request_adhesion(
            space=space, siren=siren, statut="representant_legal", service_codes=list(services), now=clock.now(), **kwargs
        )
    [letter] = letters(spool) - before
    return made, code_in(letter)


def resend(capture, spool: Path, made: AdhesionRequest, **kwargs) -> str:
    """Send made's letter again through the service; return the new letter's code."""
    before = letters(spool)
    with capture(execute=True):
        adhesion.resend(adhesion=made, now=clock.now(), **kwargs)
    [letter] = letters(spool) - before
    return code_in(letter)


class _Tables(HTMLParser):
    """Collect each table of a page: its caption and its rows as {data-label: text}."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._cell: str | None = None
        self._text: list[str] = []
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append({})
        elif tag == "td":
            self._cell, self._text = dict(attrs).get("data-label", ""), []

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag == "td" and self._cell is not None:
            self.tables[-1]["rows"][-1][self._cell] = " ".join("".join(self._text).split())
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self.tables[-1]["caption"] += data
        elif self._cell is not None:
            self._text.append(data)


def table(html: str, caption: str) -> list[dict]:
    """Return the rows ({column label: text}) of the page's table whose caption starts with caption."""
    parser = _Tables()
    parser.feed(html)
    [found] = [found for found in parser.tables if found["caption"].startswith(caption)]
    return [row for row in found["rows"] if row]
