"""What the J18 tests share (not a test module): IBANs of several countries, spaces holding a
*Payer* service, accounts added as the product adds them, emails read back."""

from django.test import TestCase

from core import clock
from entreprise.services import bank_accounts
from entreprise.services.bank_accounts import NewAccount
from habilitations.models import Habilitation, Role
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.companies import DUPONT, MARTIN
from tests.habilitations import builders

# Valid IBANs (the banks' published examples), compact: EEA ones need no BIC, the others do.
EEA_IBANS = {
    "FR": "FR7630006000011234567890189",
    "DE": "DE89370400440532013000",
    "BE": "BE71096123456769",
    "ES": "ES9121000418450200051332",
    "IT": "IT60X0542811101000000123456",
    "NL": "NL91ABNA0417164300",
}
OUTSIDE_EEA_IBANS = {  # in SEPA, outside the EEA: a BIC is required
    "CH": ("CH9300762011623852957", "UBSWCHZH80A"),
    "GB": ("GB29NWBK60161331926819", "NWBKGB2L"),
    "MC": ("MC5811222000010123456789030", "CMCIMCM1"),
}
NOT_SEPA_IBAN = "BR1800360305000010009795493C1"  # a valid Brazilian IBAN: no SEPA debit there
IBAN = EEA_IBANS["FR"]
ADDRESS = ["10 RUE DE L'ÉGLISE", "25000 BESANÇON", "FRANCE"]

FORM = {
    "iban": "fr76 3000 6000 0112 3456 7890 189",
    "bic": "",
    "holder": "SARL MARTIN DISTRIBUTION",
    "street": "10 RUE DE L'ÉGLISE",
    "complement": "",
    "city": "25000 BESANÇON",
    "country": "France",
}


def accounts_url(siren: str = MARTIN) -> str:
    return f"/espace/dossiers/{siren}/comptes-bancaires"


def add_url(siren: str = MARTIN) -> str:
    return accounts_url(siren) + "/ajouter"


def recap_url(siren: str = MARTIN) -> str:
    return accounts_url(siren) + "/ajouter/recapitulatif"


def mandate_url(account, siren: str = MARTIN) -> str:
    return accounts_url(siren) + f"/{account.pk}/mandat.pdf"


def remove_url(account, siren: str = MARTIN) -> str:
    return accounts_url(siren) + f"/{account.pk}/supprimer"


def payer(space, siren: str = MARTIN, role: str = Role.TITULAIRE, code: str = "payer_tva", **fields) -> Habilitation:
    """Give space a *Payer* service of siren's dossier (what R-BANK-1 asks)."""
    return builders.grant(space, siren, code, role, name=NAMES.get(siren, ""), **fields)


NAMES = {MARTIN: "SARL MARTIN DISTRIBUTION", DUPONT: "DUPONT ET FILS"}


def add_account(space, siren: str = MARTIN, iban: str = IBAN, bic: str = "", holder: str = "SARL MARTIN DISTRIBUTION"):
    """Add an account to siren's dossier through the service, as "Confirmer" does (emails committed)."""
    dossier = builders.dossier(siren, NAMES.get(siren, ""))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return bank_accounts.add(
            request=None, actor=space, dossier=dossier,
            account=NewAccount(iban=iban, bic=bic, holder=holder, address=ADDRESS), now=clock.now(),
        )


def emails_to(address: str) -> list[tuple[str, str]]:
    """Return (subject, body) of every email queued for address, oldest first."""
    return [(email.subject, decrypt_body(email)) for email in OutboxEmail.objects.filter(to=address).order_by("pk")]


def all_email_text() -> str:
    return "\n".join(f"{email.subject}\n{decrypt_body(email)}" for email in OutboxEmail.objects.all())
