"""Reads of the catalogue (R-CAT-1): the services by family, the address of their application."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from catalogue.models import Family, Service


@dataclass(frozen=True)
class FamilyServices:
    family: Family
    services: list[Service]


def by_family(services: Iterable[Service] | None = None) -> list[FamilyServices]:
    """Return the families in guide 001's order, each with its services in order.

    ``services``: only these (the ones a space holds, R-HOME-1), families without one left
    out; None: the whole catalogue (one query).
    """
    if services is None:
        services = Service.objects.select_related("family")
    ordered = sorted(services, key=lambda service: (service.family.position, service.position))
    groups: dict[int, FamilyServices] = {}
    for service in ordered:
        groups.setdefault(service.family_id, FamilyServices(service.family, [])).services.append(service)
    return list(groups.values())


def services(codes: Iterable[str]) -> list[Service]:
    """Return the services of these codes, in catalogue order; unknown codes are left out."""
    return list(Service.objects.select_related("family").filter(code__in=list(codes)))


def service(code: str) -> Service | None:
    """Return the service of code, or None."""
    return Service.objects.select_related("family").filter(code=code).first()


def application_url(service: Service) -> str | None:
    """Return the address of the application that serves service (SERVICE_URLS), or None.

    The product never pretends to be the tax service (R-CAT-1): without an address, the
    service's page says what the space holds and offers no "Accéder au service".
    """
    return settings.SERVICE_URLS.get(service.code)
