from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from antirobot import services
from antirobot.forms import TOO_MANY
from core.client import client_ip


def _media(content: bytes | None, content_type: str) -> HttpResponse:
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def image(request, key: str):
    return _media(services.image_png(key), "image/png")


@require_GET
def audio(request, key: str):
    return _media(services.audio_wav(key), "audio/wav")


@require_GET
@never_cache
def new(request):
    """Return a fresh challenge for "Changer l'image" without reloading the page."""
    key = services.new_challenge(address=client_ip(request))
    if key is None:
        return JsonResponse({"error": TOO_MANY}, status=429)
    return JsonResponse(services.challenge(key))


@require_POST
@never_cache
def extend(request, key: str):
    """"Plus de temps": the same challenge under a new key with the longer time limit (RGAA 13.1)."""
    longer = services.extend(key)
    if longer is None:
        return JsonResponse({"error": "Cette image a expiré : changez d'image."}, status=404)
    return JsonResponse({**services.challenge(longer), "minutes": int(settings.CAPTCHA_EXTENDED_TTL.total_seconds() // 60)})
