"""J18 "Ajouter un compte" (R-BANK-1): the account's form, checked by entreprise.sepa."""

from django import forms

from core.forms import Form, TextField
from core.messages import message
from entreprise import sepa


class BankAccountForm(Form):
    """IBAN, BIC (outside the EEA only), account holder, holder's address."""

    iban = TextField(
        sepa.IBAN_MAX_INPUT,
        label="IBAN",
        help_text="Code pays, clé et numéro de compte ; les espaces sont acceptés. "
        "Exemple : FR76 3000 6000 0112 3456 7890 189",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    bic = TextField(
        15,
        label="BIC",
        required=False,
        help_text="8 ou 11 caractères. Obligatoire pour un compte tenu hors de l'Espace économique européen.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    holder = TextField(
        70,
        label="Titulaire du compte",
        help_text="Nom ou raison sociale, tel qu'il figure sur le relevé d'identité bancaire",
    )
    street = TextField(70, label="Adresse du titulaire", help_text="Numéro et libellé de la voie")
    complement = TextField(70, label="Complément d'adresse", required=False)
    city = TextField(70, label="Code postal et ville", help_text="Exemple : 75012 PARIS")
    country = TextField(40, label="Pays", initial="FRANCE")

    def clean_iban(self):
        return sepa.clean_iban(self.cleaned_data["iban"])

    def clean_bic(self):
        return sepa.clean_bic(self.cleaned_data["bic"])

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def clean(self):
        data = super().clean()
        iban = data.get("iban")
        if iban and "bic" in data and not data["bic"] and sepa.bic_required(iban):
            self.add_error("bic", message("bic_required"))
        return data

    def address(self) -> list[str]:
        """Return the holder's postal lines, in order, without the empty complement."""
        data = self.cleaned_data
        return [line for line in (data["street"], data["complement"], data["city"], data["country"]) if line]
