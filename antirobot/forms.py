"""The captcha field of a form: `class MyForm(CaptchaFormMixin, DsfrBaseForm)`, built with
`MyForm(data, request=request)`: the request's client address pays for each challenge."""

from django import forms
from django.conf import settings

from antirobot import services
from core.renderers import input_tag
from core.client import client_ip

ERROR = "Les caractères saisis ne correspondent pas à l'image. Recopiez les caractères de la nouvelle image."
TOO_MANY = (
    "Trop d'images de vérification ont été demandées depuis votre adresse. "
    "Veuillez patienter quelques minutes avant de recharger la page."
)


class CaptchaWidget(forms.TextInput):
    """The text input, plus the hidden key, the image and its audio.

    Every render draws a fresh challenge: a key is consumed by its first check, so the
    page shown after an error, or after a reload, can never show a used one. Past the
    per-address quota there is no key: the widget says why instead of showing an image.
    """

    template_name = "antirobot/captcha_widget.html"
    request = None  # set per form by CaptchaFormMixin

    def get_context(self, name, value, attrs):
        context = super().get_context(name, "", attrs)  # never echo the previous answer
        context["input"] = input_tag(context["widget"])  # the text input, as every form draws it
        key = services.new_challenge(address=client_ip(self.request))
        context["challenge"] = services.challenge(key) if key else None
        context["too_many"] = TOO_MANY
        context["minutes"] = int(settings.CAPTCHA_TTL.total_seconds() // 60)
        return context


class CaptchaFormMixin(forms.Form):
    captcha = forms.CharField(
        label="Recopiez les caractères de l'image",
        help_text="6 caractères, ou écoutez l'extrait sonore",
        max_length=20,
        error_messages={"required": "Ce champ est obligatoire.", "max_length": ERROR},
        widget=CaptchaWidget(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, request, **kwargs):
        # The request is required, not optional: a form built without it would draw
        # challenges that no per-address quota counts.
        super().__init__(*args, **kwargs)
        self.fields["captcha"].widget.request = request  # fields (and widgets) are copies per form

    def clean(self):
        data = super().clean()
        # Consumed whatever the other fields say: one answer per challenge.
        solved = services.verify(self.data.get("captcha_key"), self.data.get("captcha"))
        # One message per field: an empty (or overlong) answer already has its own.
        if not solved and "captcha" not in self.errors:
            self.add_error("captcha", ERROR)
        return data
