"""J2's forms: the code (+ captcha), then the code again and the login email."""

from django import forms
from django.core.exceptions import ValidationError

from antirobot.forms import CaptchaFormMixin
from codes import tokens
from core.forms import REQUIRED, EmailField, Form
from core.messages import message


class CodeForm(CaptchaFormMixin, Form):
    """J2 step 1: "Saisissez le code d'activation" + captcha."""

    mark_required = False

    code = forms.CharField(
        label="Saisissez le code d'activation",
        help_text="12 caractères",
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "maxlength": 12, "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not tokens.well_formed(code):
            raise ValidationError(message("code_format"), code="code_format")
        return code


class ActivationEmailForm(Form):
    """J2 step 2: the code again (read-only) + the login email."""

    code = forms.CharField(
        label="Code d'activation",
        widget=forms.TextInput(attrs={"readonly": True, "class": "espace-code"}),
        error_messages=REQUIRED,
    )
    email = EmailField(
        label="Saisissez votre adresse électronique de connexion", help_text="Format attendu : adresse@domaine.fr"
    )
