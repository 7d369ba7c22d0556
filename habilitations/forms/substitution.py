"""J14 "Remplacer le titulaire (substitution)": the request's form (R-SUB-1, as R-ADH-1)."""

from django.core.exceptions import ValidationError

from catalogue import selectors as catalogue
from core import identity
from core.forms import GroupedChoicesField
from habilitations.forms.adhesion import AdhesionForm, service_choices


def siren_of(raw) -> str:
    """Return raw as a valid SIREN, or "" (what the page has no services to show for)."""
    try:
        return identity.normalize_siren(raw if isinstance(raw, str) else "")
    except ValidationError:
        return ""


class OfferedServicesField(GroupedChoicesField):
    """Shows the services offered (its choices) and accepts any service of the catalogue (``accepted``).

    A service the page did not offer (an old page, a hand-made post) is then judged by the
    request's rules (habilitations.services.substitution.check_services), which say in French
    why it may not be asked, rather than a bare "choix impossible".
    """

    accepted: frozenset[str] = frozenset()

    def valid_value(self, value):
        return str(value) in self.accepted


class SubstitutionForm(AdhesionForm):
    """SIREN, "précisez votre statut", then the services of that company the space may substitute.

    The services depend on the SIREN: until the page has shown those of the SIREN typed
    (``shown``, the SIREN they were listed for, sent back by the page), none is asked.
    """

    services = OfferedServicesField(label="Services dont vous souhaitez devenir titulaire", choices=())

    def __init__(self, data=None, *, offered=(), shown: str = "", **kwargs):
        super().__init__(data, **kwargs)
        self.shown = shown
        # In place: the base form has bound its fields already (DsfrBaseForm's classes).
        field = self.fields["services"]
        field.accepted = frozenset(code for _family, options in service_choices() for code, _label in options)
        field.choices = [
            (group.family.label, [(service.code, service.label) for service in group.services])
            for group in catalogue.by_family(offered)
        ]
        field.required = bool(shown)
