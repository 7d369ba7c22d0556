"""A site whose habilitations namespace holds, besides its real URLs, test pages with ids: one leaks.

The IDOR walker's self-test (tests/habilitations/test_idor.py) must catch the leak, pass the
pages that ask the policy, and refuse the page whose parameter it cannot fill.
"""

from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

import habilitations.urls
from core.decorators import space_required
from dossiers.models import Dossier
from habilitations import policy
from habilitations.decorators import dossier_view


@space_required
def leaky_dossier(request, siren):
    """Finds the dossier by its SIREN without asking the policy: any space sees any company."""
    dossier = Dossier.objects.filter(siren=siren).first()
    return HttpResponse(dossier.name if dossier else "", status=200 if dossier else 404)


@dossier_view
def guarded_service(request, access, code):
    return JsonResponse({"role": access.role(code)}, status=200 if access.holds(code) else 404)


@require_POST
@space_required
def guarded_cancel(request, pk):
    if policy.own_request(request.user, pk) is None:
        return HttpResponse(status=404)
    return HttpResponse("annulée")


@space_required
def careless_cancel(request, pk):
    """Cancels whatever request it is given, then answers as if it did not exist: a write leak."""
    from habilitations.models import AdhesionRequest

    AdhesionRequest.objects.filter(pk=pk).update(state=AdhesionRequest.State.CANCELLED)
    return HttpResponse(status=404)


@space_required
def widget(request, widget):
    return HttpResponse("?")


GUARDED = [
    path("essai/dossiers/<str:siren>/services/<str:code>", guarded_service, name="essai_service"),
    path("essai/demandes/<int:pk>/annuler", guarded_cancel, name="essai_cancel"),
]
LEAKY = [path("essai/", include([path("fuite/<str:siren>", leaky_dossier, name="essai_fuite")]))]
WRITES = [path("essai/demandes/<int:pk>/oublier", careless_cancel, name="essai_oublier")]
UNKNOWN = [path("essai/widgets/<int:widget>", widget, name="essai_widget")]


def site(*extra):
    return [
        path("", include("accounts.urls")),
        path("", include("codes.urls")),
        path("", include(([*habilitations.urls.urlpatterns, *extra], "habilitations"))),
    ]


def urlconf(name: str, *extra):
    """A URLconf module for settings.ROOT_URLCONF: the site above with extra pages in the namespace."""
    import types

    module = types.ModuleType(f"tests.habilitations.urls_idor.{name}")
    module.urlpatterns = site(*extra)
    return module
