"""J18 "Gérer les comptes bancaires" (R-BANK-1): add (form → recap → "Confirmer"), mandate, remove.

The account being added lives in the session between the form and "Confirmer". An IBAN is
not kept in clear in a session store (a database row or a Redis key that backups and
operators read): the draft is sealed with core.crypto (Fernet, a key of its own derived from
SECRET_KEY: encrypted and authenticated), bound to the space and the dossier it was typed
for, and dropped at "Confirmer". A sealed draft that does not open (a key changed, another
dossier, another space) is no draft: the form again. The rules are checked again by the
service at "Confirmer" (the same account added meanwhile).
"""

import json

from cryptography.fernet import InvalidToken

from core import clock, crypto
from entreprise import mandate as mandates
from entreprise.models import BankAccount
from entreprise.services import bank_accounts
from entreprise.services.bank_accounts import NewAccount

DRAFT_KEY = "entreprise_bank_account_draft"
DRAFT_PURPOSE = b"espacepro-bank-draft"


def start(request, access, account: NewAccount) -> None:
    """Keep account, checked by the form, for the recap of access's dossier (sealed)."""
    sealed = crypto.encrypt(
        json.dumps(
            {
                "space": request.user.pk,
                "siren": access.dossier.siren,
                "iban": account.iban,
                "bic": account.bic,
                "holder": account.holder,
                "address": list(account.address),
            }
        ),
        purpose=DRAFT_PURPOSE,
    )
    request.session[DRAFT_KEY] = sealed


def draft(request, access) -> NewAccount | None:
    """Return the account waiting for "Confirmer" on access's dossier in this session, or None."""
    sealed = request.session.get(DRAFT_KEY)
    if not isinstance(sealed, str):
        return None
    try:
        kept = json.loads(crypto.decrypt(sealed, purpose=DRAFT_PURPOSE))
    except (InvalidToken, ValueError, UnicodeError):
        return None
    if kept.get("space") != request.user.pk or kept.get("siren") != access.dossier.siren:
        return None
    return NewAccount(iban=kept["iban"], bic=kept["bic"], holder=kept["holder"], address=kept["address"])


def confirm(request, access) -> BankAccount:
    """Add the draft's account ("Confirmer"); raise LookupError (no draft) or BankAccountRefused."""
    account = draft(request, access)
    if account is None:
        raise LookupError("no draft")
    created = bank_accounts.add(
        request=request, actor=request.user, dossier=access.dossier, account=account, now=clock.now()
    )
    request.session.pop(DRAFT_KEY, None)
    return created


def mandate(request, account: BankAccount) -> bytes:
    """Return the mandate PDF of account and record that it was printed (R-AUDIT-2)."""
    now = clock.now()
    pdf = mandates.render(account, now=now)
    bank_accounts.mandate_edited(request=request, actor=request.user, account=account, now=now)
    return pdf


def remove(request, account: BankAccount) -> BankAccount:
    """Remove account from its dossier (after the confirmation page)."""
    return bank_accounts.remove(request=request, actor=request.user, account=account, now=clock.now())
