"""J3 "Connexion à votre Espace professionnel"."""

from antirobot.forms import CaptchaFormMixin
from core.forms import EmailField, Form, SecretField


class LoginForm(CaptchaFormMixin, Form):
    """J3: "Connexion à votre Espace professionnel" (guide 001: "Tous les champs sont obligatoires.")."""

    mark_required = False

    email = EmailField(label="Adresse électronique", help_text="Format attendu : adresse@domaine.fr")
    password = SecretField(label="Mot de passe", autocomplete="current-password")
