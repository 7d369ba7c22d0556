"""The SEPA B2B mandate of a bank account (R-BANK-1): one A4 page, tagged PDF/UA-1, laid out by
recapitulatif's renderer (WeasyPrint, embedded fonts) from entreprise/mandate/mandate.html.

What the bank expects on a B2B mandate (EPC's rulebook, annex of the mandate): the RUM, the
creditor's name, identifier and address, the debtor's name, the account's holder, address,
IBAN and BIC, the type of payment, the notice that no refund is due once debited, place,
date and signature. Every value typed by a person goes through ``printable``.
"""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from core.clock import paris
from core.identity import format_siren
from entreprise import sepa
from entreprise.models import BankAccount
from recapitulatif.documents import printable, render_html

TITLE = "Mandat de prélèvement SEPA interentreprises (B2B)"
# The page must stay one sheet whatever the values (the bank takes one page): the form's
# limits fit at the first size; longer values (a company name of 255 wide letters from the
# register) shrink the font, then are cut ("…"). Attempts: (characters kept per value, size in pt).
ATTEMPTS = ((None, 9.5), (None, 8.5), (None, 7.5), (100, 7.5), (50, 6.5))
UNKNOWN_NAME = "Non connue"
STYLESHEET = Path(__file__).resolve().parent / "templates" / "entreprise" / "mandate" / "mandate.css"


def _cut(text: str, limit: int | None) -> str:
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def context(account: BankAccount, *, now: datetime, limit: int | None = None) -> dict:
    """Return the values of account's mandate, as printed (each value cut at limit characters)."""
    local = paris(now)
    return {
        "title": TITLE,
        "rum": account.rum,
        "creditor": {
            "name": settings.SEPA_CREDITOR_NAME,
            "identifier": settings.SEPA_CREDITOR_ID,
            "address": list(settings.SEPA_CREDITOR_ADDRESS),
        },
        "debtor": {
            "name": _cut(printable(account.dossier.name), limit) or UNKNOWN_NAME,
            "siren": format_siren(account.dossier.siren),
            "holder": _cut(printable(account.holder), limit),
            "address": [_cut(printable(line), limit) for line in account.holder_address],
            "iban": sepa.grouped(account.iban),
            "bic": account.bic or "Non requis (compte tenu dans l'Espace économique européen)",
        },
        "footer": f"{settings.SERVICE_NAME} : mandat édité le {local:%d/%m/%Y} à {local:%Hh%M}",
    }


def render(account: BankAccount, *, now: datetime) -> bytes:
    """Return the PDF of account's mandate: one page (the first attempt that fits, else the last)."""
    stylesheet = STYLESHEET.read_text(encoding="utf-8")
    for limit, size in ATTEMPTS:
        html = render_to_string("entreprise/mandate/mandate.html", context(account, now=now, limit=limit))
        document = render_html(html, css=stylesheet + f"\nhtml {{ font-size: {size}pt; }}")
        if document.pages == 1:
            break
    return document.pdf
