"""J2's forms: the code (+ captcha), then the code again and the login email."""

from antirobot.forms import CaptchaFormMixin
from codes import tokens
from core.forms import CodeField, EmailField, Form


class CodeForm(CaptchaFormMixin, Form):
    """J2 step 1: "Saisissez le code d'activation" + captcha (guide 001 marks both "*")."""

    code = CodeField(length=tokens.LENGTH, well_formed=tokens.well_formed, label="Saisissez le code d'activation")


class ActivationEmailForm(Form):
    """J2 step 2: the code again (read-only) + the login email."""

    # Not checked here: the flow compares it with the code step 1 proved, and sends back to
    # step 1 when it differs.
    code = CodeField(length=tokens.LENGTH, well_formed=None, readonly=True, label="Code d'activation")
    email = EmailField(
        label="Saisissez votre adresse électronique de connexion", help_text="Format attendu : adresse@domaine.fr"
    )
