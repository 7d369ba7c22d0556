"""The search of "Voir tous mes dossiers" (R-HOME-1), drawn on the home too as "Choisir un dossier"."""

from django import forms

from core.forms import Form, TextField

# A SIREN is 9 digits and a raison sociale rarely passes 100 characters: longer is not a search.
QUERY_MAX_LENGTH = 100


class SearchInput(forms.TextInput):
    input_type = "search"


def query_field(label: str) -> TextField:
    """?q=: a SIREN (or its first digits) or part of the name; empty lists every dossier."""
    return TextField(
        max_length=QUERY_MAX_LENGTH,
        required=False,
        label=label,
        help_text="SIREN ou raison sociale, par exemple 732829320 ou MARTIN",
        widget=SearchInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class DossierSearchForm(Form):
    """The list's search; its query is read by habilitations.selectors.search."""

    mark_required = False

    q = query_field("Rechercher un dossier")

    def query(self) -> str | None:
        """Return the cleaned query ("" for none), or None when it is refused (its message by the field)."""
        return self.cleaned_data["q"] if self.is_valid() else None


class ChooseDossierForm(DossierSearchForm):
    """The same search in the home's "Mes dossiers" block, under guide 001's words; it is sent
    to the list, where each dossier found has its "Choisir ce dossier"."""

    q = query_field("Choisir un dossier")
