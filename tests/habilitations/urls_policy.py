"""The site's URLs plus one dossier page of a test app, behind habilitations.decorators.dossier_view."""

from django.http import JsonResponse
from django.urls import include, path

from habilitations.decorators import dossier_view


@dossier_view
def dossier_page(request, access, **kwargs):
    """What a dossier page receives: the Access the policy read now (R-HAB-2)."""
    return JsonResponse(
        {
            "siren": access.dossier.siren,
            "space": access.space.pk,
            "roles": access.roles,
            "titulaire": access.is_titulaire,
            "kwargs": kwargs,
        }
    )


urlpatterns = [
    path("essai/dossiers/<str:siren>", dossier_page),
    path("essai/dossiers/<str:siren>/services/<str:code>", dossier_page),
    path("", include("config.urls")),
]
