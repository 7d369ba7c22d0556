"""The DSFR base form, its generic fields and the field groups every journey reuses.

One base (`Form`) draws every field with the DSFR group templates of core/forms/ and ties
errors to their field. The groups follow Django's `SetPasswordMixin`: a static
`create_…_fields()` builds the fields, which each form declares under its own names and
labels; the mixin holds the rule, once. Nothing here knows the product's models: what a
rule needs from them (the trust questions, the data a password is judged against, what a
well-formed code looks like) is handed over by the form that uses it.
"""

from collections.abc import Callable, Sequence

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.views.decorators.debug import sensitive_variables
from dsfr.forms import DsfrBaseForm, DsfrBoundField

from core import identity
from core.messages import message

REQUIRED = {"required": message("required")}
# R-TRUST-2: an answer of 1 to 100 characters, kept exactly as typed.
TRUST_ANSWER_MAX_LENGTH = 100
# The live meter (core/js) reads the field marked with this and fills the element it names.
METER_ATTRS = {"data-strength-meter": "password-level", "aria-describedby": "password-level"}


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


class CodeField(forms.CharField):
    """A code received by email or post, typed by hand or shown again read-only.

    `well_formed` says what a code looks like (codes.tokens, R-CODE-1); a code that is not
    is refused with the page's own message (`invalid`, a catalogue key) before any lookup,
    so that a typo costs no throttled attempt. Without `well_formed` (a read-only copy that
    the flow compares with the code it proved) the field only requires a value.
    """

    def __init__(
        self,
        *,
        length: int,
        well_formed: Callable[[str], bool] | None,
        invalid: str = "code_format",
        readonly: bool = False,
        **kwargs,
    ):
        self.well_formed, self.invalid = well_formed, invalid
        kwargs.setdefault("error_messages", REQUIRED)
        if readonly:
            attrs = {"readonly": True, "class": "espace-code"}
        else:
            kwargs.setdefault("help_text", f"{length} caractères")
            # One-time-code lets a phone offer the code it just received; no spelling or
            # capital fix-ups: codes are case-sensitive.
            attrs = {
                "autocomplete": "one-time-code",
                "maxlength": length,
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and self.well_formed is not None and not self.well_formed(value):
            raise ValidationError(message(self.invalid), code="code_format")


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in groups, each group with a "Tout sélectionner" box (``<name>__all``).

    Without JavaScript the server expands a ticked group box into the group's choices; with
    it (core/js/espace.js) the box ticks and unticks the group on screen.
    """

    def value_from_datadict(self, data, files, name):
        raw = super().value_from_datadict(data, files, name)
        values = [raw] if isinstance(raw, str) else list(raw or [])  # a dict's one value is one choice
        wanted = set(data.getlist(f"{name}__all") if hasattr(data, "getlist") else [])
        for index, (_group, options) in enumerate(self.choices):
            if str(index) in wanted:
                values.extend(str(value) for value, _label in options)
        return list(dict.fromkeys(values))


class GroupedChoicesField(forms.MultipleChoiceField):
    """Several choices among groups (``choices``: [(group label, [(value, label), ...]), ...])."""

    widget = GroupedCheckboxes

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {**REQUIRED, "invalid_choice": message("choice_invalid")})
        super().__init__(**kwargs)


class DsfrErrorList(ErrorList):
    """A field's errors as DSFR error lines (red, with the icon), not a bare bullet list.

    Only the first message is shown: one thing to fix at a time (an empty captcha would
    otherwise read "obligatoire" and "ne correspondent pas" at once).
    """

    template_name = "core/forms/errors.html"

    def get_context(self):
        return {"errors": list(self)[:1]}


class BoundField(DsfrBoundField):
    """Every field of every form rendered by one of the product's DSFR group templates."""

    @property
    def template_name(self):
        widget = self.field.widget
        if isinstance(widget, GroupedCheckboxes):
            return "core/forms/grouped_checkboxes.html"
        if isinstance(widget, forms.RadioSelect):
            return "core/forms/radios.html"
        if isinstance(widget, forms.CheckboxInput):
            return "core/forms/checkbox.html"
        if isinstance(widget, forms.PasswordInput):
            return "core/forms/password.html"
        return "core/forms/input.html"

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
        for field in self.fields.values():
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


class EmailPairFields:
    """An email typed twice (R-MAIL-2): the confirmation must match.

    Declare the pair with `create_email_fields()`; a form naming them otherwise says so
    in `email_fields`.
    """

    email_fields = ("email", "email_confirm")

    @staticmethod
    def create_email_fields(*, label: str, help_text: str, confirm_label: str) -> tuple[EmailField, EmailField]:
        return EmailField(label=label, help_text=help_text), EmailField(label=confirm_label)

    def clean(self):
        # Each group checks before handing over: a form's groups are checked in the order
        # its bases list them.
        name, confirm_name = self.email_fields
        email, confirm = self.cleaned_data.get(name), self.cleaned_data.get(confirm_name)
        # Compared once both are valid (and normalised): an invalid one has its own message.
        if email and confirm and email != confirm:
            self.add_error(confirm_name, ValidationError(message("email_mismatch"), code="email_mismatch"))
        return super().clean()


PASSWORD_HELP = (
    f"{settings.PASSWORD_MIN_LENGTH} caractères minimum ; tous les caractères sont autorisés "
    "(espaces, accents, symboles)."
)


class NewPasswordFields:
    """A new password typed twice, with the live strength meter (R-PWD-*).

    Declare the pair with `create_password_fields()` (names in `password_fields`). The
    password is judged by AUTH_PASSWORD_VALIDATORS against what `password_subject()`
    returns: the person's own data (R-PWD-2), or None where a flow judges it later.
    """

    password_fields = ("password", "password_confirm")

    @staticmethod
    def create_password_fields(
        *, label: str, confirm_label: str, help_text: str = PASSWORD_HELP
    ) -> tuple[SecretField, SecretField]:
        # No maxlength on either field: a browser would cut a longer paste silently and the
        # two fields would then differ; the server says "128 caractères maximum" instead.
        return SecretField(label=label, help_text=help_text), SecretField(label=confirm_label)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.password_fields[0]].widget.attrs.update(METER_ATTRS)

    def password_subject(self, cleaned_data: dict):
        """Return the user the new password is judged against (R-PWD-2), or None not to judge it here."""
        raise NotImplementedError

    @sensitive_variables("password", "confirm")
    def clean(self):
        data = self.cleaned_data
        name, confirm_name = self.password_fields
        password, confirm = data.get(name), data.get(confirm_name)
        if password is not None and confirm is not None and password != confirm:
            self.add_error(confirm_name, ValidationError(message("password_mismatch"), code="password_mismatch"))
        subject = self.password_subject(data) if password else None
        if subject is not None:
            try:
                password_validation.validate_password(password, subject)
            except ValidationError as error:
                self.add_error(name, error)
        return super().clean()


class TrustQuestionFields:
    """The trust question and its answer (R-TRUST-1, R-TRUST-2).

    Declare them with `create_trust_fields(questions)`: the questions are the product's,
    the first one is preselected.
    """

    @staticmethod
    def create_trust_fields(
        questions: Sequence[str],
        *,
        question_label: str = "Question",
        answer_label: str = "Réponse",
        answer_help: str = "Mémorisez précisément votre réponse (majuscules, minuscules, espaces) : "
        "elle vous sera demandée en cas d'oubli du mot de passe.",
    ) -> tuple[forms.ChoiceField, SecretField]:
        question = forms.ChoiceField(
            label=question_label,
            choices=[(q, q) for q in questions],
            initial=questions[0],
            # A forged choice reads as a missing one: the list is all the page offers.
            error_messages={**REQUIRED, "invalid_choice": message("required")},
        )
        answer = SecretField(label=answer_label, autocomplete="off", help_text=answer_help)
        return question, answer

    def clean_trust_answer(self):
        # R-TRUST-2: kept exactly as typed, capitals and spaces included; an optional field
        # left empty (J4, box unticked) has nothing to check.
        answer = self.cleaned_data["trust_answer"]
        if answer and (len(answer) > TRUST_ANSWER_MAX_LENGTH or not answer.strip()):
            raise ValidationError(message("answer_length"), code="answer_length")
        if answer:
            identity.clean_text(answer, max_length=TRUST_ANSWER_MAX_LENGTH)  # refuses control characters only
        return answer
