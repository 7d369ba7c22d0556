"""J6 "Mot de passe expiré" (guide 002): the email (+ captcha), then the old and new passwords."""

from django.conf import settings

from antirobot.forms import CaptchaFormMixin
from accounts.models import Space
from core.forms import EmailField, Form, NewPasswordFields, SecretField
from core.messages import message


class ExpiredEmailForm(CaptchaFormMixin, Form):
    """J6 step 1: "Saisissez votre adresse électronique de connexion" + captcha."""

    email = EmailField(
        label="Saisissez votre adresse électronique de connexion", help_text="Format attendu : adresse@domaine.fr"
    )


class ExpiredPasswordForm(NewPasswordFields, Form):
    """J6 step 2: the old password, the new one and its confirmation (R-PWD-*).

    The new password is judged here with the email only: the rules that need the space
    (its names, its history) run once the old password is proven (flows.expiry), so that
    nothing here depends on whether the email has a space.
    """

    old_password = SecretField(label="Saisissez votre ancien mot de passe", autocomplete="current-password")
    password, password_confirm = NewPasswordFields.create_password_fields(
        label="Saisissez votre nouveau mot de passe", confirm_label="Confirmez votre nouveau mot de passe"
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def password_subject(self, cleaned_data):
        # The old password typed again is refused as reused by clean(): one message for it.
        if cleaned_data.get("password") == cleaned_data.get("old_password"):
            return None
        return Space(login_email=self.email)

    def clean(self):
        data = super().clean()
        password, old = data.get("password"), data.get("old_password")
        if password and password == old:
            self.add_error("password", message("password_reused", count=settings.PASSWORD_HISTORY_SIZE))
        return data
