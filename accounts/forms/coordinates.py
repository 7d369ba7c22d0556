"""J15 "Modifier mes coordonnées" (R-COORD-1): J1 step 3's fields, pre-filled, plus the current password."""

from django.core.exceptions import ValidationError

from accounts.forms.registration import ProfileForm
from accounts.models import Space
from accounts.services.coordinates import FIELDS
from core.forms import SecretField
from core.identity import format_phone
from core.messages import message


def initial_of(space: Space) -> dict:
    """Return the form's values for space as a person reads them (the phone in national form)."""
    initial = {field: getattr(space, field) for field in FIELDS}
    initial["foreign_company"] = "oui" if space.foreign_company else "non"
    initial["phone"] = format_phone(space.phone) if space.phone else ""
    initial["contact_email"] = space.contact_email
    return initial


class CoordinatesForm(ProfileForm):
    """The same fields, rules and messages as J1 step 3 (ProfileForm), and the current password.

    The password is checked by the flow, through the one guarded check (R-THROTTLE-1), once
    every field is valid: a refused page writes nothing.
    """

    current_password = SecretField(
        label="Mot de passe actuel",
        autocomplete="current-password",
        help_text="Par sécurité, toute modification demande votre mot de passe actuel.",
    )

    def __init__(self, data=None, *, space: Space, **kwargs):
        super().__init__(data, initial=initial_of(space), **kwargs)
        self.space = space

    def clean(self):
        data = super().clean()
        if not self.errors and all(data.get(field) == getattr(self.space, field) for field in FIELDS):
            raise ValidationError(message("coordinates_nothing"), code="coordinates_nothing")
        return data

    def values(self) -> dict:
        """Return the coordinates typed, normalised as J1 stores them."""
        return {field: self.cleaned_data[field] for field in FIELDS}
