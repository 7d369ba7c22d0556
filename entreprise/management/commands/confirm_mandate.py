"""``manage.py confirm_mandate <RUM>``: support records that the bank registered a signed SEPA B2B
mandate (R-BANK-1): its account's "Interentreprises/B2B" status becomes "Valide", audited and
emailed to the dossier's managers (the IBAN masked)."""

from django.core.management.base import BaseCommand, CommandError

from core import clock
from core.identity import printable
from entreprise.services.bank_accounts import BankAccountRefused, confirm_mandate

REFUSALS = {
    "unknown": "Aucun compte bancaire actif n'a la RUM « %s ».",
    "already": "Le mandat « %s » est déjà confirmé.",
}


class Command(BaseCommand):
    help = "Enregistre la confirmation par la banque du mandat SEPA interentreprises de RUM donnée."

    def add_arguments(self, parser):
        parser.add_argument("rum", help="la référence unique du mandat (RUM), par exemple EP732829320K3QH9XZ7M2AB")

    def handle(self, *args, rum: str, **options):
        try:
            account = confirm_mandate(rum=rum, now=clock.now())
        except BankAccountRefused as refused:
            raise CommandError(REFUSALS[refused.code] % printable(rum)[:40]) from None
        self.stdout.write(
            f"Mandat {account.rum} confirmé : compte {account.iban_masked}, SIREN {account.dossier.siren}."
        )
