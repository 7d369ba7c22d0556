"""The captcha field of a form: `class MyForm(CaptchaFormMixin, DsfrBaseForm)`, built with
`MyForm(data, request=request)`: the request's client holds the binding of each key, and its
address pays for each check.

Each form class using the mixin has its own purpose, and a key drawn for one form is refused
by every other: by default the class name without "Form", lower case (LoginForm: "login"),
so that the forms need not declare anything; a class may set `captcha_purpose` itself.
"""

import re

from django import forms
from django.conf import settings

from antirobot import services
from antirobot.interfaces import Captcha
from core import contracts
from core.renderers import input_tag
from core.client import client_ip

ERROR = "Les caractères saisis ne correspondent pas à l'image. Recopiez les caractères de la nouvelle image."
TOO_MANY = (
    "Trop de vérifications ont été demandées depuis votre adresse. "
    "Veuillez patienter quelques minutes avant de réessayer."
)


def _minutes(duration) -> int:
    return int(duration.total_seconds() // 60)


class CaptchaWidget(forms.TextInput):
    """The text input, plus the hidden key, the image and its audio.

    Every render draws a fresh challenge: a key is consumed by its first check, so the
    page shown after an error, or after a reload, can never show a used one.
    """

    template_name = "antirobot/captcha_widget.html"
    request = None  # set per form by CaptchaFormMixin
    purpose = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, "", attrs)  # never echo the previous answer
        context["input"] = input_tag(context["widget"])  # the text input, as every form draws it
        context["challenge"] = contracts.load("CAPTCHA", Captcha).draw(self.request, self.purpose)
        context["purpose"] = self.purpose
        context["minutes"] = _minutes(settings.CAPTCHA_TTL)
        context["extended_minutes"] = _minutes(settings.CAPTCHA_EXTENDED_TTL)
        return context


def purpose_of(class_name: str) -> str:
    """Return the default purpose of a form class: "LoginForm" -> "login"."""
    return re.sub(r"Form$", "", class_name).lower()


class CaptchaFormMixin(forms.Form):
    captcha = forms.CharField(
        label="Recopiez les caractères de l'image",
        help_text="6 caractères, ou écoutez l'extrait sonore",
        max_length=20,
        error_messages={"required": "Ce champ est obligatoire.", "max_length": ERROR},
        widget=CaptchaWidget(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )
    captcha_purpose: str

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        purpose = cls.__dict__.get("captcha_purpose") or purpose_of(cls.__name__)
        cls.captcha_purpose = services.register(purpose, f"{cls.__module__}.{cls.__qualname__}")

    def __init__(self, *args, request, **kwargs):
        # The request is required, not optional: it holds the client's binding, and its
        # address pays for the check.
        super().__init__(*args, **kwargs)
        widget = self.fields["captcha"].widget  # fields (and widgets) are copies per form
        widget.request, widget.purpose = request, self.captcha_purpose
        self._request = request

    def clean(self):
        data = super().clean()
        # Consumed whatever the other fields say: one answer per challenge.
        verdict = contracts.load("CAPTCHA", Captcha).check(
            self.data.get("captcha_key"), self.data.get("captcha"), request=self._request, purpose=self.captcha_purpose
        )
        # One message per field: an empty (or overlong) answer already has its own.
        if verdict is services.Verdict.TOO_MANY:
            self.errors.pop("captcha", None)
            self.add_error("captcha", TOO_MANY)
        elif verdict is not services.Verdict.PASSED and "captcha" not in self.errors:
            self.add_error("captcha", ERROR)
        return data
