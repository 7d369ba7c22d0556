"""The console's forms, over core's DSFR base form (R-AST-1)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from assistance.services import agents
from core.forms import REQUIRED, EmailField, Form, NewPasswordFields, SecretField, TextField
from core.messages import message


class LoginForm(Form):
    mark_required = False
    email = EmailField(label="Adresse électronique")
    password = SecretField(label="Mot de passe", autocomplete="current-password")


class SecondFactorForm(Form):
    mark_required = False
    code = TextField(
        max_length=20,
        label="Code à 6 chiffres de votre application d'authentification",
        help_text="Ou l'un de vos codes de secours (10 caractères), qui ne servira qu'une fois.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}),
    )


class TotpForm(Form):
    mark_required = False
    code = TextField(
        max_length=6,
        label="Code à 6 chiffres affiché par l'application",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EnrolPasswordForm(NewPasswordFields, Form):
    """The agent's password, judged by the product's policy (R-PWD-1/2/4/5)."""

    mark_required = False

    def __init__(self, *args, agent, **kwargs):
        self.agent = agent
        super().__init__(*args, **kwargs)

    password, password_confirm = NewPasswordFields.create_password_fields(
        label="Mot de passe", confirm_label="Confirmation du mot de passe"
    )

    def password_subject(self, cleaned_data):
        return agents.password_subject(self.agent)


class SearchForm(Form):
    mark_required = False
    q = TextField(
        max_length=100,
        label="Rechercher un espace",
        help_text=(
            "Numéro d'abonné (14 chiffres), adresse électronique de connexion ou de contact, SIREN ou nom de famille."
        ),
        error_messages={"required": message("assistance_search_empty")},
    )


class ReasonField(TextField):
    """A reason in the agent's words: its spaces and line breaks folded to one space."""

    def clean(self, value):
        value = " ".join(str(value or "").split())
        value = super().clean(value)
        if value and len(value) < settings.ASSISTANCE_REASON_MIN:
            raise ValidationError(
                message(
                    "assistance_reason_length", min=settings.ASSISTANCE_REASON_MIN, max=settings.ASSISTANCE_REASON_MAX
                ),
                code="reason_length",
            )
        return value


class ReasonForm(Form):
    mark_required = False
    reason = ReasonField(
        max_length=settings.ASSISTANCE_REASON_MAX,
        label="Motif",
        help_text=(
            f"De {settings.ASSISTANCE_REASON_MIN} à {settings.ASSISTANCE_REASON_MAX} caractères : la demande de "
            "l'usager, comment vous l'avez vérifiée. Il figure dans l'historique des actions."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HistoryFilterForm(Form):
    """The filters of a space's security history (a GET form: nothing changes)."""

    mark_required = False
    kind = forms.ChoiceField(label="Type d'événement", required=False)
    start = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": message("assistance_date_invalid")},
    )  # fmt: skip
    end = forms.DateField(
        label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": message("assistance_date_invalid")},
    )  # fmt: skip

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Tous")] + list(kinds)
        self.fields["kind"].error_messages = {**REQUIRED, "invalid_choice": message("choice_invalid")}

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            day = data.get(name)
            if day and not 1900 <= day.year <= 9000:  # a far date would overflow the day after it
                self.add_error(name, ValidationError(message("assistance_date_invalid"), code="invalid"))
        return data
