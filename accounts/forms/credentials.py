"""J4 "Modifier mes identifiants de connexion" (guide 001, chapters 3 to 5)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.flows.credentials import Change
from accounts.models import TRUST_QUESTIONS, Space
from core.forms import EmailPairFields, Form, NewPasswordFields, SecretField, TrustQuestionFields
from core.messages import message

BOXES = {  # box -> the fields it opens (guide 001, chapters 3 to 5)
    "change_email": ("new_email", "new_email_confirm"),
    "change_password": ("new_password", "new_password_confirm"),
    "change_trust": ("trust_question", "trust_answer"),
}


class CredentialsChangeForm(EmailPairFields, NewPasswordFields, TrustQuestionFields, Form):
    """J4: three boxes in any combination, plus the current password, always required.

    A box's fields are required only when the box is ticked: a page without JavaScript
    shows every field, and what an unticked box holds is ignored. The current password,
    and the new password's strength and history, are checked by the flow after the
    guarded check (R-THROTTLE-1).
    """

    email_fields = BOXES["change_email"]
    password_fields = BOXES["change_password"]

    change_email = forms.BooleanField(label="Modifier mon adresse électronique", required=False)
    new_email, new_email_confirm = EmailPairFields.create_email_fields(
        label="Saisir ma nouvelle adresse électronique de connexion",
        help_text="Format attendu : adresse@domaine.fr. "
        "L'adresse électronique doit être valide et ne pas dépasser 100 caractères.",
        confirm_label="Confirmer ma nouvelle adresse électronique de connexion",
    )
    change_password = forms.BooleanField(label="Modifier mon mot de passe", required=False)
    new_password, new_password_confirm = NewPasswordFields.create_password_fields(
        label="Saisir mon nouveau mot de passe",
        help_text=f"({settings.PASSWORD_MIN_LENGTH} caractères minimum ; tous les caractères sont autorisés)",
        confirm_label="Confirmer mon nouveau mot de passe",
    )
    change_trust = forms.BooleanField(label="Modifier ma question de confiance", required=False)
    trust_question, trust_answer = TrustQuestionFields.create_trust_fields(TRUST_QUESTIONS)
    current_password = SecretField(
        label="Mot de passe actuel",
        autocomplete="current-password",
        help_text="Par sécurité, toute modification demande votre mot de passe actuel.",
    )

    def __init__(self, *args, space: Space, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        if self.is_bound:
            self.data = self.data.copy()
        for box, fields in BOXES.items():
            self.fields[box].widget.attrs["aria-controls"] = f"{box}-fields"
            # A box's fields are required (and marked "*") unless the posted form left the
            # box unticked: then what they hold is dropped, neither checked nor echoed back.
            ticked = not self.is_bound or self.fields[box].widget.value_from_datadict(self.data, self.files, box)
            for name in fields:
                self.fields[name].required = bool(ticked)
                if not ticked:
                    self.data.pop(name, None)
        self.fields["trust_question"].initial = space.trust_question

    def password_subject(self, cleaned_data):
        # Judged by the flow, once the current password is proven: strength against the
        # space's data, and the history (R-PWD-3), must not answer before that check.
        return None

    def clean(self):
        # An unticked box's fields were emptied in __init__: the pair checks find nothing there.
        data = super().clean()
        if not any(data.get(box) for box in BOXES):
            raise ValidationError(message("credentials_nothing"), code="credentials_nothing")
        new_email = data.get("new_email")
        if new_email and new_email == data.get("new_email_confirm") == self.space.login_email:
            self.add_error("new_email", message("email_same"))
        return data

    def change(self):
        """Return the flow's Change: only what the ticked boxes hold."""
        data = self.cleaned_data
        return Change(
            current_password=data["current_password"],
            new_email=data["new_email"] if data.get("change_email") else None,
            new_password=data["new_password"] if data.get("change_password") else None,
            trust_question=data["trust_question"] if data.get("change_trust") else None,
            trust_answer=data["trust_answer"] if data.get("change_trust") else None,
        )
