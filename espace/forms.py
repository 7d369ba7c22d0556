"""Forms of J1-J3. Fields carry the seeds' labels; rules live in identity.py and validators.py."""

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from dsfr.forms import DsfrBaseForm, DsfrBoundField

from antirobot.forms import CaptchaFormMixin
from espace import identity
from espace.messages import message
from espace.models import TRUST_QUESTIONS, Civility, Space
from espace.services import codes

REQUIRED = {"required": message("required")}


class EmailField(forms.CharField):
    """An email normalised by R-MAIL-1."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", REQUIRED)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email", "maxlength": 100}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return identity.normalize_email(value) if value else value


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


class DsfrErrorList(ErrorList):
    """A field's errors as DSFR error lines (red, with the icon), not a bare bullet list.

    Only the first message is shown: one thing to fix at a time (an empty captcha would
    otherwise read "obligatoire" and "ne correspondent pas" at once).
    """

    template_name = "espace/forms/errors.html"

    def get_context(self):
        return {"errors": list(self)[:1]}


class BoundField(DsfrBoundField):
    """Every field of every form rendered by one of the product's DSFR group templates."""

    @property
    def template_name(self):
        widget = self.field.widget
        if isinstance(widget, forms.RadioSelect):
            return "espace/forms/radios.html"
        if isinstance(widget, forms.CheckboxInput):
            return "espace/forms/checkbox.html"
        if isinstance(widget, forms.PasswordInput):
            return "espace/forms/password.html"
        return "espace/forms/input.html"

    def get_context(self):
        group = "fr-select-group" if isinstance(self.field.widget, forms.Select) else "fr-input-group"
        return {**super().get_context(), "group": group}


class Form(DsfrBaseForm):
    """Base of the product's forms: DSFR markup and DSFR errors for every field, from one place."""

    bound_field_class = BoundField
    # Required fields carry "*" (explained by a note above the form); a form whose fields are
    # all required says so once instead ("Tous les champs sont obligatoires.", guide 001).
    mark_required = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_class", DsfrErrorList)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.PasswordInput):
                field.widget.attrs["class"] = "fr-password__input fr-input"
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.pop("dsfr", None)

    def full_clean(self):
        super().full_clean()
        # Errors are tied to their field for screen readers (RGAA 11.10).
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                described = " ".join(filter(None, [f"{self[name].auto_id}-desc-error", attrs.get("aria-describedby")]))
                attrs.update({"aria-invalid": "true", "aria-describedby": described})


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


class CodeForm(CaptchaFormMixin, Form):
    """J2 step 1: "Saisissez le code d'activation" + captcha."""

    mark_required = False

    code = forms.CharField(
        label="Saisissez le code d'activation",
        help_text="12 caractères",
        error_messages=REQUIRED,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "maxlength": 12, "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not codes.well_formed(code):
            raise ValidationError(message("code_format"), code="code_format")
        return code


class ActivationEmailForm(Form):
    """J2 step 2: the code again (read-only) + the login email."""

    code = forms.CharField(
        label="Code d'activation",
        widget=forms.TextInput(attrs={"readonly": True, "class": "espace-code"}),
        error_messages=REQUIRED,
    )
    email = EmailField(
        label="Saisissez votre adresse électronique de connexion", help_text="Format attendu : adresse@domaine.fr"
    )


class LoginForm(CaptchaFormMixin, Form):
    """J3: "Connexion à votre Espace professionnel" (guide 001: "Tous les champs sont obligatoires.")."""

    mark_required = False

    email = EmailField(label="Adresse électronique", help_text="Format attendu : adresse@domaine.fr")
    password = SecretField(label="Mot de passe", autocomplete="current-password")


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
