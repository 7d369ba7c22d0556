"""J2 "Activer mon espace": the code (+ captcha), then the login email."""

from antirobot.forms import CaptchaFormMixin
from accounts.forms.fields import code_field
from core.forms import EmailField, Form


class CodeForm(CaptchaFormMixin, Form):
    """J2 step 1: "Saisissez le code d'activation" + captcha."""

    mark_required = False

    code = code_field(label="Saisissez le code d'activation")


class ActivationEmailForm(Form):
    """J2 step 2: the code again (read-only) + the login email."""

    # Not checked here: the flow compares it with the code step 1 proved, and sends back to
    # step 1 when it differs.
    code = code_field(label="Code d'activation", readonly=True, well_formed=None)
    email = EmailField(
        label="Saisissez votre adresse électronique de connexion", help_text="Format attendu : adresse@domaine.fr"
    )
