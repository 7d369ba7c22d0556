"""The other space of a designation (R-SUP-1) or a delegation (R-DEL-1): its subscriber number
and its holder's last name, both required, checked together by
habilitations.services.sharing.find_space (one refusal for every mismatch, throttled)."""

from django import forms

from core.forms import Form, TextField


class DesignationForm(Form):
    """"Numéro d'abonné" (14 digits, spaces accepted) and "Nom" of the space's holder."""

    mark_required = False  # every field is required: "Tous les champs sont obligatoires." once

    subscriber_number = TextField(
        30,
        label="Numéro d'abonné de l'espace professionnel",
        help_text="14 chiffres, indiqués dans le récapitulatif de son espace",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    last_name = TextField(60, label="Nom du titulaire de cet espace", widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_subscriber_number(self):
        number = "".join(self.cleaned_data["subscriber_number"].split())
        if not (number.isdigit() and len(number) == 14):
            raise forms.ValidationError("Saisissez un numéro d'abonné de 14 chiffres.", code="number_invalid")
        return number
