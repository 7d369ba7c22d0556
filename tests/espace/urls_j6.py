"""A test URLconf for the J6 branch alone: the product's URLs, plus the route name
"espace:credentials" that J4 ("Modifier mes identifiants de connexion") provides.

The home's "Modifier le mot de passe" links there (R-EXP-1). Once J4 is merged the
fixture j4_credentials_route (tests/conftest.py) finds the real route and never loads this module.
"""

from django.http import HttpResponse
from django.urls import include, path

from config import urls as product_urls
from espace import urls as espace_urls


def _credentials_until_j4(request):
    return HttpResponse("Modifier mes identifiants de connexion")


espace_patterns = (
    [*espace_urls.urlpatterns, path("espace/identifiants", _credentials_until_j4, name="credentials")],
    "espace",
)
urlpatterns = [path("", include(espace_patterns)), *product_urls.urlpatterns[1:]]

handler400 = product_urls.handler400
handler403 = product_urls.handler403
handler404 = product_urls.handler404
handler500 = product_urls.handler500
