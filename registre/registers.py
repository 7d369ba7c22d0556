"""Implementations of registre.interfaces.CompanyRegister."""

from registre.interfaces import CompanyRecord
from registre.models import Company


class SireneTable:
    """INSEE's SIRENE stock imported into the Company and Siege tables (``manage.py
    import_sirene``, StockUniteLegale and StockEtablissement).

    Production and development alike: ``make run`` loads the samples shipped in
    registre/data, so development reads real names of real companies, offline.
    """

    def company_name(self, siren: str) -> str | None:
        return Company.objects.filter(siren=siren).exclude(name="").values_list("name", flat=True).first()

    def company(self, siren: str) -> CompanyRecord | None:
        company = Company.objects.select_related("siege").filter(siren=siren).first()
        if company is None:
            return None
        return CompanyRecord(
            siren=company.siren, name=company.name or None, siege_lines=company.postal_lines(), active=company.active
        )
