"""J8 "Opter pour l'accès sans certificat" (guide 004), inside the space and from the login page."""

from django import forms
from django.core.exceptions import ValidationError

from antirobot.forms import CaptchaFormMixin
from accounts.forms.fields import code_field
from accounts.models import TRUST_QUESTIONS, Space
from accounts.validators import own_data_copy
from core.forms import REQUIRED, EmailField, EmailPairFields, Form, NewPasswordFields, TrustQuestionFields
from core.messages import message


class OptionCredentialsForm(EmailPairFields, NewPasswordFields, Form):
    """J8 "Créer vos identifiants": the login email (R-MAIL-1..3) and the password (R-PWD-*).

    The password is judged against the space's own data (names, number) and the new email.
    """

    email, email_confirm = EmailPairFields.create_email_fields(
        label="Votre adresse électronique",
        help_text="Format attendu : adresse@domaine.fr. Important : cette adresse électronique ne pourra être "
        "utilisée que pour un seul et unique espace.",
        confirm_label="Confirmez votre nouvelle adresse électronique",
    )
    password, password_confirm = NewPasswordFields.create_password_fields(
        label="Votre mot de passe", confirm_label="Confirmez votre nouveau mot de passe"
    )

    def __init__(self, *args, space: Space, **kwargs):
        self.space = space
        super().__init__(*args, **kwargs)

    def password_subject(self, cleaned_data) -> Space:
        """Return what the password is judged against (R-PWD-2): the space's data, the new email.

        An unsaved copy: a certificate space's password field was never the person's
        password, so the history rule (R-PWD-3) has nothing to compare against.
        """
        return own_data_copy(self.space, login_email=cleaned_data.get("email") or "")


class OptionTrustForm(TrustQuestionFields, Form):
    """J8 "Option pour l'accès sans certificat": the trust question and its answer (R-TRUST-*)."""

    trust_question, trust_answer = TrustQuestionFields.create_trust_fields(
        TRUST_QUESTIONS,
        question_label="Sélectionnez une question de confiance",
        answer_label="Saisissez la réponse à la question de confiance",
        answer_help="Mémorisez précisément votre réponse (majuscules, minuscules, espaces) : "
        "elle vous sera demandée lors d'opérations particulières (oubli du mot de passe par exemple).",
    )


class SubscriberNumberField(forms.CharField):
    """A subscriber number (R-NUM-1): 14 digits, spaces ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", REQUIRED)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = 30

    def clean(self, value):
        value = super().clean(value)
        number = "".join(value.split())
        if not (number.isascii() and number.isdigit() and len(number) == 14):
            raise ValidationError(message("subscriber_number_invalid"), code="subscriber_number_invalid")
        return number


class OptionRecoveryForm(CaptchaFormMixin, Form):
    """J8 outside the space: the subscriber number and the email on file, + captcha."""

    mark_required = False

    subscriber_number = SubscriberNumberField(
        label="Votre numéro d'abonné", help_text="14 chiffres, indiqués sur le récapitulatif de votre espace"
    )
    email = EmailField(
        label="L'adresse électronique de votre espace avec certificat", help_text="Format attendu : adresse@domaine.fr"
    )


class OptionCodeForm(Form):
    """J8 outside the space: the subscriber number and the code received by email."""

    mark_required = False

    subscriber_number = SubscriberNumberField(label="Votre numéro d'abonné", help_text="14 chiffres")
    code = code_field(label="Saisissez le code reçu par courriel")
