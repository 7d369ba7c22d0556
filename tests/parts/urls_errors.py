"""The product's URLs, plus views that fail in each way, to check the error pages."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_protect

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as product


def suspicious(request):
    raise SuspiciousOperation("requête suspecte")


def denied(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("panne")


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
    *product,
    path("essai/400", suspicious),
    path("essai/403", denied),
    path("essai/500", broken),
    path("essai/formulaire", form),
    path("essai/cache", cached),
    path("essai/cadre", frameable),
]
