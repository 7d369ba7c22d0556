"""J5 "Mot de passe oublié ?": the email (+ captcha), the code received, the new password."""

from antirobot.forms import CaptchaFormMixin
from accounts.forms.fields import code_field
from accounts.models import Space
from accounts.validators import own_data_copy
from core.forms import EmailField, Form, NewPasswordFields, SecretField


class ForgotForm(CaptchaFormMixin, Form):
    """J5 step 1: the login email + captcha (R-CAPTCHA-1)."""

    mark_required = False

    email = EmailField(label="Adresse électronique", help_text="Format attendu : adresse@domaine.fr")


class ResetCodeForm(Form):
    """J5 step 2: the email and the code it received."""

    mark_required = False

    email = EmailField(label="Adresse électronique", help_text="Format attendu : adresse@domaine.fr")
    code = code_field(label="Code reçu par courriel", invalid="reset_code_format")


class ResetPasswordForm(NewPasswordFields, Form):
    """J5 step 3: the proven code (read-only), the trust answer, the new password (R-PWD-*)."""

    mark_required = False

    code = code_field(label="Code reçu par courriel", invalid="reset_code_format", readonly=True)
    answer = SecretField(label="Réponse", autocomplete="off")
    password, password_confirm = NewPasswordFields.create_password_fields(
        label="Saisissez votre nouveau mot de passe", confirm_label="Confirmez votre nouveau mot de passe"
    )

    def __init__(self, *args, space: Space, **kwargs):
        self.space = space
        super().__init__(*args, **kwargs)

    def password_subject(self, cleaned_data):
        # R-PWD-1/2/4 against this space's data, on an unsaved copy: the history (R-PWD-3)
        # would check guesses of the current password for anyone holding the code,
        # unthrottled; flows.recovery checks it once the answer is proven.
        return own_data_copy(self.space)
