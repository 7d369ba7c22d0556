"""J16 "Supprimer mon espace professionnel" (R-DEL-SPACE-1): the current password and a captcha."""

from antirobot.forms import CaptchaFormMixin
from core.forms import Form, SecretField


class DeletionForm(CaptchaFormMixin, Form):
    """The last step before an irrevocable deletion.

    The captcha (R-CAPTCHA-1, as J1's activation and J5) keeps a script holding a stolen
    session from deleting spaces by the thousand; the password is checked by the flow,
    through the one guarded check, once the captcha is solved.
    """

    current_password = SecretField(
        label="Mot de passe actuel",
        autocomplete="current-password",
        help_text="Par sécurité, la suppression de votre espace demande votre mot de passe actuel.",
    )
