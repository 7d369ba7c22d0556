"""A test URLconf: the product's URLs and error handlers, plus views that raise each error."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import path

from config import urls as product_urls


def _raise(error):
    def view(request):
        raise error

    return view


urlpatterns = [
    path("erreur/400", _raise(SuspiciousOperation("en-tête forgé"))),
    path("erreur/403", _raise(PermissionDenied())),
    path("erreur/404", _raise(Http404())),
    path("erreur/500", _raise(RuntimeError("panne interne de test"))),
    *product_urls.urlpatterns,
]

# Django looks the handlers up on the root URLconf: take the product's own.
handler400 = product_urls.handler400
handler403 = product_urls.handler403
handler404 = product_urls.handler404
handler500 = product_urls.handler500
