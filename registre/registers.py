"""Implementations of registre.interfaces.CompanyRegister."""

from registre.models import Company


class SireneTable:
    """INSEE's SIRENE stock imported into the Company table (``manage.py import_sirene``).

    Production and development alike: ``make run`` loads the sample shipped in
    registre/data, so development reads real names of real companies, offline.
    """

    def company_name(self, siren: str) -> str | None:
        return Company.objects.filter(siren=siren).exclude(name="").values_list("name", flat=True).first()
