"""The captcha field of a form: `class MyForm(CaptchaFormMixin, DsfrBaseForm)`."""

from django import forms

from antirobot import services

ERROR = "Les caractères saisis ne correspondent pas à l'image. Recopiez les caractères de la nouvelle image."


class CaptchaWidget(forms.TextInput):
    """The text input, plus the hidden key, the image and its audio.

    Every render draws a fresh challenge: a key is consumed by its first check, so the
    page shown after an error, or after a reload, can never show a used one.
    """

    template_name = "antirobot/captcha_widget.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, "", attrs)  # never echo the previous answer
        context["captcha_key"] = services.new_challenge()
        return context


class CaptchaFormMixin(forms.Form):
    captcha = forms.CharField(
        label="Recopiez les caractères de l'image",
        help_text="6 caractères, ou écoutez l'extrait sonore",
        max_length=20,
        error_messages={"required": "Ce champ est obligatoire.", "max_length": ERROR},
        widget=CaptchaWidget(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        # Consumed whatever the other fields say: one answer per challenge.
        if not services.verify(self.data.get("captcha_key"), self.data.get("captcha")):
            self.add_error("captcha", ERROR)
        return data
