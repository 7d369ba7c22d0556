"""The search of "Voir tous mes dossiers" (R-HOME-1), also drawn on the home as "Choisir un dossier"."""

from django import forms

from core.forms import Form, TextField

# A SIREN is 9 digits and a raison sociale rarely passes 100 characters: longer is not a search.
QUERY_MAX_LENGTH = 100


class SearchInput(forms.TextInput):
    input_type = "search"


class DossierSearchForm(Form):
    """?q=: a SIREN (or its first digits) or part of the name; empty lists every dossier."""

    mark_required = False

    q = TextField(
        max_length=QUERY_MAX_LENGTH,
        required=False,
        label="Rechercher un dossier",
        help_text="SIREN ou raison sociale, par exemple 732829320 ou MARTIN",
        widget=SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["q"].label = label

    def query(self) -> str | None:
        """Return the cleaned query ("" for none), or None when it is refused (its message by the field)."""
        if not self.is_bound:
            return ""
        return self.cleaned_data["q"] if self.is_valid() else None
