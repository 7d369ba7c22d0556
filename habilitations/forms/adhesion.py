"""J9 "Adhérer aux services": the request's form (R-ADH-1)."""

from django import forms

from catalogue import selectors as catalogue
from core import identity
from core.forms import REQUIRED, Form, GroupedChoicesField, TextField
from habilitations.models import Statut


def service_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the catalogue as grouped choices: (family, [(code, label), ...]), guide 001's order."""
    return [
        (group.family.label, [(service.code, service.label) for service in group.services])
        for group in catalogue.by_family()
    ]


class AdhesionForm(Form):
    """SIREN of the dossier, "précisez votre statut", the services by family."""

    mark_required = False  # every field is required: "Tous les champs sont obligatoires." once

    siren = TextField(
        20,
        label="SIREN de l'entreprise",
        help_text="9 chiffres, par exemple 123 456 789",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    statut = forms.ChoiceField(
        label="Précisez votre statut",
        choices=Statut.choices,
        widget=forms.RadioSelect,
        error_messages={**REQUIRED, "invalid_choice": REQUIRED["required"]},
    )
    services = GroupedChoicesField(label="Services auxquels vous souhaitez adhérer", choices=service_choices)

    def clean_siren(self):
        return identity.normalize_siren(self.cleaned_data["siren"])
