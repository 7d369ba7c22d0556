from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from antirobot import services


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
    key = services.new_challenge()
    return JsonResponse(
        {"key": key, "image": reverse("antirobot:image", args=[key]), "audio": reverse("antirobot:audio", args=[key])}
    )
