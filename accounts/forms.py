"""Forms of J1-J3. Fields carry the seeds' labels; rules live in identity.py and validators.py."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from antirobot.forms import CaptchaFormMixin
from core import identity
from accounts.flows.credentials import Change
from core.messages import message
from accounts.models import TRUST_QUESTIONS, Civility, Space
from accounts.services import certificates
from codes import tokens
from codes.forms import CodeForm
from core.forms import REQUIRED, EmailField, Form
from accounts.validators import own_data_copy


class SecretField(forms.CharField):
    """A password or answer: never stripped, never echoed back (R-PWD-1: nothing altered).

    A value longer than SECRET_MAX_BYTES is refused here, before any form or flow hashes
    it: Argon2 hashes its whole input, and a 1 MB "password" would cost five logins.
    """

    def __init__(self, autocomplete="new-password", **kwargs):
        kwargs.setdefault("error_messages", REQUIRED)
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.PasswordInput(render_value=False, attrs={"autocomplete": autocomplete}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if len(value.encode("utf-8", "surrogatepass")) > settings.SECRET_MAX_BYTES:
            raise ValidationError(
                message("password_too_long", max=settings.PASSWORD_MAX_LENGTH), code="password_too_long"
            )
        return value


class TextField(forms.CharField):
    """A free text field refusing control characters (SPEC §4 "Bad input")."""

    def __init__(self, max_length, **kwargs):
        self.limit = max_length
        kwargs.setdefault("error_messages", REQUIRED)
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = max_length

    def clean(self, value):
        value = super().clean(value)
        return identity.clean_text(value, max_length=self.limit, required=self.required)


class CguForm(Form):
    accept = forms.BooleanField(
        label="Je reconnais avoir pris connaissance des conditions générales et les accepte sans restriction.",
        error_messages={"required": message("cgu_required")},
    )


class CredentialsForm(Form):
    """J1 step 2 "créez vos identifiants": R-MAIL-1..3, R-PWD-1..5."""

    email = EmailField(
        label="Votre adresse électronique",
        help_text="Format attendu : adresse@domaine.fr. Cette adresse ne pourra être utilisée que pour un seul et unique espace.",
    )
    email_confirm = EmailField(label="Confirmer votre adresse électronique")
    password = SecretField(
        label="Votre mot de passe",
        help_text=f"{settings.PASSWORD_MIN_LENGTH} caractères minimum ; tous les caractères sont autorisés "
        "(espaces, accents, symboles).",
    )
    password_confirm = SecretField(label="Confirmer votre mot de passe")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength on either password field: a browser would cut a longer paste silently and
        # the two fields would then differ; the server says "128 caractères maximum" instead.
        self.fields["password"].widget.attrs.update(
            {"data-strength-meter": "password-level", "aria-describedby": "password-level"}
        )

    def clean(self):
        data = super().clean()
        email, password = data.get("email"), data.get("password")
        if email and data.get("email_confirm") and email != data["email_confirm"]:
            self.add_error("email_confirm", message("email_mismatch"))
        if password is not None and data.get("password_confirm") is not None:
            if password != data["password_confirm"]:
                self.add_error("password_confirm", message("password_mismatch"))
        if password:
            try:
                # R-PWD-2: the strength is judged against the user's own data.
                password_validation.validate_password(password, Space(login_email=email or ""))
            except ValidationError as error:
                self.add_error("password", error)
        return data


class RegistrationForm(Form):
    """J1 step 3 "remplissez votre formulaire d'inscription"."""

    civility = forms.ChoiceField(
        label="Civilité", choices=Civility.choices, widget=forms.RadioSelect, error_messages=REQUIRED
    )
    last_name = TextField(60, label="Nom", widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    first_name = TextField(60, label="Prénom", widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    foreign_company = forms.TypedChoiceField(
        label="Entreprise étrangère",
        choices=[("non", "Non"), ("oui", "Oui")],
        coerce=lambda value: value == "oui",
        initial="non",
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    company_identifier = TextField(
        30,
        label="S.I.R.E.N ou équivalent",
        help_text="Le SIREN de l'entreprise dans laquelle vous exercez votre activité (9 chiffres), "
        "ou son identifiant pour une entreprise étrangère.",
        widget=forms.TextInput(attrs={"inputmode": "text"}),
    )
    phone = TextField(
        30,
        label="Numéro de téléphone",
        help_text="Exemple : 01 23 45 67 89, ou +32 2 555 12 12 pour un numéro étranger",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    contact_email = forms.CharField(label="Adresse électronique", required=False, disabled=True)
    street_number = TextField(10, label="Numéro de la voie", required=False)
    street_type = TextField(30, label="Nature de la voie", required=False, help_text="Exemple : rue, avenue, boulevard")
    street_name = TextField(100, label="Libellé de la voie", required=False)
    address_complement = TextField(100, label="Complément d'adresse", required=False)
    postal_code = TextField(
        10, label="Code postal", required=False, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    city = TextField(60, label="Ville")
    country = TextField(60, label="Pays", initial="FRANCE")
    trust_question = forms.ChoiceField(
        label="Question", choices=[(q, q) for q in TRUST_QUESTIONS], initial=TRUST_QUESTIONS[0], error_messages=REQUIRED
    )
    trust_answer = SecretField(
        label="Réponse",
        autocomplete="off",
        help_text="Mémorisez précisément votre réponse (majuscules, minuscules, espaces) : "
        "elle vous sera demandée en cas d'oubli du mot de passe.",
    )

    def clean_company_identifier(self):
        value = self.cleaned_data["company_identifier"]
        foreign = self.data.get(self.add_prefix("foreign_company")) == "oui"
        return identity.normalize_foreign_id(value) if foreign else identity.normalize_siren(value)

    def clean_phone(self):
        return identity.normalize_phone(self.cleaned_data["phone"])

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].upper()

    def clean_trust_answer(self):
        # R-TRUST-2: kept exactly as typed, capitals and spaces included.
        answer = self.cleaned_data["trust_answer"]
        if not 1 <= len(answer) <= 100 or not answer.strip():
            raise ValidationError(message("answer_length"), code="answer_length")
        identity.clean_text(answer, max_length=100)  # refuses control characters only
        return answer

    def clean(self):
        data = super().clean()
        postal = data.get("postal_code")
        if postal and data.get("country") == "FRANCE" and not (postal.isdigit() and len(postal) == 5):
            self.add_error("postal_code", message("postal_code_invalid"))
        return data


class LoginForm(CaptchaFormMixin, Form):
    """J3: "Connexion à votre Espace professionnel" (guide 001: "Tous les champs sont obligatoires.")."""

    mark_required = False

    email = EmailField(label="Adresse électronique", help_text="Format attendu : adresse@domaine.fr")
    password = SecretField(label="Mot de passe", autocomplete="current-password")


# J7: one row of the operators' import of certificate spaces (issue 8 item 1). The creation
# form's fields and rules (R-MAIL-1, R-SIREN-1, R-PHONE-1, postal code, free texts), minus
# what a certificate space has not (password, trust answer), plus its number and certificate.
class CertificateSpaceRowForm(RegistrationForm):
    trust_answer = None
    civility = forms.ChoiceField(
        label="civilite",
        choices=Civility.choices,
        error_messages={**REQUIRED, "invalid_choice": message("civility_invalid")},
    )
    foreign_company = forms.TypedChoiceField(
        label="entreprise_etrangere",
        choices=[("non", "Non"), ("oui", "Oui")],
        coerce=lambda value: value == "oui",
        error_messages={**REQUIRED, "invalid_choice": message("foreign_company_invalid")},
    )
    contact_email = EmailField(label="adresse_electronique")
    subscriber_number = forms.CharField(label="numero_abonne", max_length=14, error_messages=REQUIRED)
    trust_question = forms.CharField(label="question_confiance", required=False)
    certificate = forms.CharField(label="certificat", strip=False, error_messages=REQUIRED)

    def clean_subscriber_number(self):
        number = self.cleaned_data["subscriber_number"]
        if not (len(number) == 14 and number.isascii() and number.isdigit()):
            raise ValidationError(message("subscriber_number_invalid"), code="subscriber_number_invalid")
        return number

    def clean_trust_question(self):
        question = self.cleaned_data["trust_question"]
        if question and question not in TRUST_QUESTIONS:
            raise ValidationError(message("trust_question_invalid"), code="trust_question_invalid")
        return question

    def clean_certificate(self):
        try:
            return certificates.load_pem(self.cleaned_data["certificate"])
        except certificates.CertificateError:
            raise ValidationError(message("certificate_invalid"), code="certificate_invalid") from None
# --- J5 "Mot de passe oublié ?" ---------------------------------------------------------


def _clean_code(value: str) -> str:
    code = value.strip()
    if not tokens.well_formed(code):
        raise ValidationError(message("reset_code_format"), code="code_format")
    return code


class ForgotForm(CaptchaFormMixin, Form):
    """J5 step 1: the login email + captcha (R-CAPTCHA-1)."""

    mark_required = False

    email = EmailField(label="Adresse électronique", help_text="Format attendu : adresse@domaine.fr")


class ResetCodeForm(Form):
    """J5 step 2: the email and the code it received."""

    mark_required = False

    email = EmailField(label="Adresse électronique", help_text="Format attendu : adresse@domaine.fr")
    code = forms.CharField(
        label="Code reçu par courriel",
        help_text="12 caractères",
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "maxlength": 12, "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    def clean_code(self):
        return _clean_code(self.cleaned_data["code"])


class ResetPasswordForm(Form):
    """J5 step 3: the proven code (read-only), the trust answer, the new password (R-PWD-*)."""

    mark_required = False

    code = forms.CharField(
        label="Code reçu par courriel",
        widget=forms.TextInput(attrs={"readonly": True, "class": "espace-code"}),
        error_messages=REQUIRED,
    )
    answer = SecretField(label="Réponse", autocomplete="off")
    password = SecretField(
        label="Saisissez votre nouveau mot de passe",
        help_text=f"{settings.PASSWORD_MIN_LENGTH} caractères minimum ; tous les caractères sont autorisés "
        "(espaces, accents, symboles).",
    )
    password_confirm = SecretField(label="Confirmez votre nouveau mot de passe")

    def __init__(self, *args, space: Space, **kwargs):
        self.space = space
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs.update(
            {"data-strength-meter": "password-level", "aria-describedby": "password-level"}
        )

    def clean_code(self):
        return _clean_code(self.cleaned_data["code"])

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password is not None and data.get("password_confirm") is not None and password != data["password_confirm"]:
            self.add_error("password_confirm", message("password_mismatch"))
        if password:
            try:
                # R-PWD-1/2/4 against this space's data, on an unsaved copy: the history
                # (R-PWD-3) would check guesses of the current password for anyone holding
                # the code, unthrottled; flows.recovery checks it once the answer is proven.
                password_validation.validate_password(password, own_data_copy(self.space))
            except ValidationError as error:
                self.add_error("password", error)
        return data


# J8 "Opter pour l'accès sans certificat" (guide 004)


class OptionCredentialsForm(CredentialsForm):
    """J8 "Créer vos identifiants": the login email (R-MAIL-1..3) and the password (R-PWD-*).

    The password is judged against the space's own data (names, number) and the new email.
    """

    email = EmailField(
        label="Votre adresse électronique",
        help_text="Format attendu : adresse@domaine.fr. Important : cette adresse électronique ne pourra être "
        "utilisée que pour un seul et unique espace.",
    )
    email_confirm = EmailField(label="Confirmez votre nouvelle adresse électronique")
    password_confirm = SecretField(label="Confirmez votre nouveau mot de passe")

    def __init__(self, *args, space, **kwargs):
        self.space = space
        super().__init__(*args, **kwargs)

    def clean(self):
        data = Form.clean(self)
        email, password = data.get("email"), data.get("password")
        if email and data.get("email_confirm") and email != data["email_confirm"]:
            self.add_error("email_confirm", message("email_mismatch"))
        if password is not None and data.get("password_confirm") is not None:
            if password != data["password_confirm"]:
                self.add_error("password_confirm", message("password_mismatch"))
        if password:
            try:
                password_validation.validate_password(password, self._subject(email or ""))
            except ValidationError as error:
                self.add_error("password", error)
        return data

    def _subject(self, email: str) -> Space:
        """Return what the password is judged against (R-PWD-2): the space's data, the new email.

        An unsaved copy: a certificate space's password field was never the person's
        password, so the history rule (R-PWD-3) has nothing to compare against.
        """
        return own_data_copy(self.space, login_email=email)


class OptionTrustForm(Form):
    """J8 "Option pour l'accès sans certificat": the trust question and its answer (R-TRUST-*)."""

    trust_question = forms.ChoiceField(
        label="Sélectionnez une question de confiance",
        choices=[(q, q) for q in TRUST_QUESTIONS],
        initial=TRUST_QUESTIONS[0],
        error_messages={**REQUIRED, "invalid_choice": message("required")},
    )
    trust_answer = SecretField(
        label="Saisissez la réponse à la question de confiance",
        autocomplete="off",
        help_text="Mémorisez précisément votre réponse (majuscules, minuscules, espaces) : "
        "elle vous sera demandée lors d'opérations particulières (oubli du mot de passe par exemple).",
    )

    clean_trust_answer = RegistrationForm.clean_trust_answer


class SubscriberNumberField(forms.CharField):
    """A subscriber number (R-NUM-1): 14 digits, spaces ignored."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", REQUIRED)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.widget.attrs["maxlength"] = 30

    def clean(self, value):
        value = super().clean(value)
        number = "".join(value.split())
        if not (number.isascii() and number.isdigit() and len(number) == 14):
            raise ValidationError(message("subscriber_number_invalid"), code="subscriber_number_invalid")
        return number


class OptionRecoveryForm(CaptchaFormMixin, Form):
    """J8 outside the space: the subscriber number and the email on file, + captcha."""

    mark_required = False

    subscriber_number = SubscriberNumberField(
        label="Votre numéro d'abonné", help_text="14 chiffres, indiqués sur le récapitulatif de votre espace"
    )
    email = EmailField(
        label="L'adresse électronique de votre espace avec certificat", help_text="Format attendu : adresse@domaine.fr"
    )


class OptionCodeForm(Form):
    """J8 outside the space: the subscriber number and the code received by email."""

    mark_required = False

    subscriber_number = SubscriberNumberField(label="Votre numéro d'abonné", help_text="14 chiffres")
    code = forms.CharField(
        label="Saisissez le code reçu par courriel",
        help_text="12 caractères",
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "maxlength": 12, "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    clean_code = CodeForm.clean_code
# J4 "Modifier mes identifiants de connexion" ------------------------------------------

BOXES = {  # box -> the fields it opens (guide 001, chapters 3 to 5)
    "change_email": ("new_email", "new_email_confirm"),
    "change_password": ("new_password", "new_password_confirm"),
    "change_trust": ("trust_question", "trust_answer"),
}


class CredentialsChangeForm(Form):
    """J4: three boxes in any combination, plus the current password, always required.

    A box's fields are required only when the box is ticked: a page without JavaScript
    shows every field, and what an unticked box holds is ignored. The current password,
    and the new password's strength and history, are checked by the flow after the
    guarded check (R-THROTTLE-1).
    """

    change_email = forms.BooleanField(label="Modifier mon adresse électronique", required=False)
    new_email = EmailField(
        label="Saisir ma nouvelle adresse électronique de connexion",
        help_text="Format attendu : adresse@domaine.fr. "
        "L'adresse électronique doit être valide et ne pas dépasser 100 caractères.",
    )
    new_email_confirm = EmailField(label="Confirmer ma nouvelle adresse électronique de connexion")
    change_password = forms.BooleanField(label="Modifier mon mot de passe", required=False)
    new_password = SecretField(
        label="Saisir mon nouveau mot de passe",
        help_text=f"({settings.PASSWORD_MIN_LENGTH} caractères minimum ; tous les caractères sont autorisés)",
    )
    new_password_confirm = SecretField(label="Confirmer mon nouveau mot de passe")
    change_trust = forms.BooleanField(label="Modifier ma question de confiance", required=False)
    trust_question = forms.ChoiceField(
        label="Question",
        choices=[(q, q) for q in TRUST_QUESTIONS],
        error_messages={**REQUIRED, "invalid_choice": message("required")},
    )
    trust_answer = SecretField(
        label="Réponse",
        autocomplete="off",
        help_text="Mémorisez précisément votre réponse (majuscules, minuscules, espaces) : "
        "elle vous sera demandée en cas d'oubli du mot de passe.",
    )
    current_password = SecretField(
        label="Mot de passe actuel",
        autocomplete="current-password",
        help_text="Par sécurité, toute modification demande votre mot de passe actuel.",
    )

    def __init__(self, *args, space: Space, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        if self.is_bound:
            self.data = self.data.copy()
        for box, fields in BOXES.items():
            self.fields[box].widget.attrs["aria-controls"] = f"{box}-fields"
            # A box's fields are required (and marked "*") unless the posted form left the
            # box unticked: then what they hold is dropped, neither checked nor echoed back.
            ticked = not self.is_bound or self.fields[box].widget.value_from_datadict(self.data, self.files, box)
            for name in fields:
                self.fields[name].required = bool(ticked)
                if not ticked:
                    self.data.pop(name, None)
        self.fields["new_password"].widget.attrs.update(
            {"data-strength-meter": "password-level", "aria-describedby": "password-level"}
        )
        self.fields["trust_question"].initial = space.trust_question

    def clean_trust_answer(self):
        answer = self.cleaned_data["trust_answer"]
        if answer and (len(answer) > 100 or not answer.strip()):  # R-TRUST-2, as in J1
            raise ValidationError(message("answer_length"), code="answer_length")
        if answer:
            identity.clean_text(answer, max_length=100)
        return answer

    def clean(self):
        data = super().clean()
        ticked = [box for box in BOXES if data.get(box)]
        if not ticked:
            raise ValidationError(message("credentials_nothing"), code="credentials_nothing")
        if "change_email" in ticked and data.get("new_email") and data.get("new_email_confirm"):
            if data["new_email"] != data["new_email_confirm"]:
                self.add_error("new_email_confirm", message("email_mismatch"))
            elif data["new_email"] == self.space.login_email:
                self.add_error("new_email", message("email_same"))
        if "change_password" in ticked and data.get("new_password") and data.get("new_password_confirm"):
            if data["new_password"] != data["new_password_confirm"]:
                self.add_error("new_password_confirm", message("password_mismatch"))
        return data

    def change(self):
        """Return the flow's Change: only what the ticked boxes hold."""
        data = self.cleaned_data
        return Change(
            current_password=data["current_password"],
            new_email=data["new_email"] if data.get("change_email") else None,
            new_password=data["new_password"] if data.get("change_password") else None,
            trust_question=data["trust_question"] if data.get("change_trust") else None,
            trust_answer=data["trust_answer"] if data.get("change_trust") else None,
        )


# J6 "Mot de passe expiré" (guide 002)


class ExpiredEmailForm(CaptchaFormMixin, Form):
    """J6 step 1: "Saisissez votre adresse électronique de connexion" + captcha."""

    email = EmailField(
        label="Saisissez votre adresse électronique de connexion", help_text="Format attendu : adresse@domaine.fr"
    )


class ExpiredPasswordForm(Form):
    """J6 step 2: the old password, the new one and its confirmation (R-PWD-*).

    The new password is judged here with the email only: the rules that need the space
    (its names, its history) run once the old password is proven (flows.expiry), so that
    nothing here depends on whether the email has a space.
    """

    old_password = SecretField(label="Saisissez votre ancien mot de passe", autocomplete="current-password")
    password = SecretField(
        label="Saisissez votre nouveau mot de passe",
        help_text=f"{settings.PASSWORD_MIN_LENGTH} caractères minimum ; tous les caractères sont autorisés "
        "(espaces, accents, symboles).",
    )
    password_confirm = SecretField(label="Confirmez votre nouveau mot de passe")

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        self.fields["password"].widget.attrs.update(
            {"data-strength-meter": "password-level", "aria-describedby": "password-level"}
        )

    def clean(self):
        data = super().clean()
        old, password = data.get("old_password"), data.get("password")
        if password is not None and data.get("password_confirm") is not None and password != data["password_confirm"]:
            self.add_error("password_confirm", message("password_mismatch"))
        if password and old is not None and password == old:
            self.add_error("password", message("password_reused", count=settings.PASSWORD_HISTORY_SIZE))
        elif password:
            try:
                password_validation.validate_password(password, Space(login_email=self.email))
            except ValidationError as error:
                self.add_error("password", error)
        return data
