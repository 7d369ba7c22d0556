"""J13 "Déléguer" (R-DEL-1): the services (among those the space manages), the délégataire
(subscriber number + last name, as R-SUP-1) and an optional end date."""

from datetime import date

from django import forms

from catalogue.selectors import by_family
from core import clock
from core.forms import GroupedChoicesField
from core.messages import message
from habilitations.forms.sharing import DesignationForm


class DelegationForm(DesignationForm):
    """"Services à déléguer" (checkboxes by family), the délégataire, "Date de fin (facultative)"."""

    mark_required = True  # the end date is optional: the required fields carry "*"
    field_order = ["services", "subscriber_number", "last_name", "ends_on"]

    services = GroupedChoicesField(label="Services à déléguer", choices=())
    ends_on = forms.DateField(
        label="Date de fin de la délégation (facultative)",
        help_text="La délégation prend fin le soir de cette date. Sans date, elle dure jusqu'à sa révocation.",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": message("delegation_date_invalid")},
    )

    def __init__(self, *args, managed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [
            (group.family.label, [(service.code, service.label) for service in group.services])
            for group in by_family(managed)
        ]
        self.fields["ends_on"].widget.attrs["min"] = clock.paris_today().isoformat()

    def clean_ends_on(self) -> date | None:
        ends_on = self.cleaned_data["ends_on"]
        if ends_on is not None and ends_on < clock.paris_today():
            raise forms.ValidationError(message("delegation_end_past"), code="delegation_end_past")
        return ends_on
