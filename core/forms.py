"""The base of the product's forms: DSFR markup and DSFR errors for every field, from one place.

Every app's forms build on ``Form`` (and its fields here), so that a page of any app draws
its fields, errors and required marks alike (RGAA 11.10).
"""

from django import forms
from django.forms.utils import ErrorList
from dsfr.forms import DsfrBaseForm, DsfrBoundField

from core import identity
from core.messages import message

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
