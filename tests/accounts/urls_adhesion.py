"""The product's URLs with a route named habilitations:adhesion, as the J9 wizard will mount it:
the home's "Je souhaite adhérer" and "J'adhère" become links once it exists (R-HOME-1)."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as product
from habilitations import urls as habilitations

routes = [path("espace/services/adherer", lambda request: HttpResponse(), name="adhesion"), *habilitations.urlpatterns]

urlpatterns = [
    path("", include((routes, "habilitations"))),
    *(pattern for pattern in product if getattr(pattern, "namespace", None) != "habilitations"),
]
