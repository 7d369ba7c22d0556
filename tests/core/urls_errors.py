"""A test URLconf: the product's URLs and error handlers, plus views that fail in each way
(tests/core/test_error_pages.py, tests/core/test_headers.py)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_protect

from config import urls as product_urls


def _raise(error):
    def view(request):
        raise error

    return view


@csrf_protect
def form(request):
    return HttpResponse("ok")


@cache_control(max_age=60, public=True)
def cached(request):
    return HttpResponse("public")


@xframe_options_exempt
def frameable(request):
    return HttpResponse("frame")


urlpatterns = [
    path("erreur/400", _raise(SuspiciousOperation("en-tête forgé"))),
    path("erreur/403", _raise(PermissionDenied())),
    path("erreur/404", _raise(Http404())),
    path("erreur/500", _raise(RuntimeError("panne interne de test"))),
    path("essai/formulaire", form),
    path("essai/cache", cached),
    path("essai/cadre", frameable),
    *product_urls.urlpatterns,
]

# Django looks the handlers up on the root URLconf: take the product's own.
handler400 = product_urls.handler400
handler403 = product_urls.handler403
handler404 = product_urls.handler404
handler500 = product_urls.handler500
