from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from antirobot import services


def _media(content: bytes | None, content_type: str) -> HttpResponse:
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def image(request, key: str):
    return _media(services.image_png(key, services.binding(request)), "image/png")


@require_GET
def audio(request, key: str):
    return _media(services.audio_wav(key, services.binding(request)), "audio/wav")


@require_GET
@never_cache
def new(request):
    """Return a fresh challenge for "Changer l'image" without reloading the page.

    ?pour= names the form (its purpose). Nothing is stored nor counted: drawing costs a MAC.
    """
    purpose = request.GET.get("pour", "")
    if purpose not in services.PURPOSES:
        return JsonResponse({"error": "Cette image ne peut pas être changée : rechargez la page."}, status=404)
    return JsonResponse(services.challenge(services.new_challenge(request, purpose)))


@require_POST
@never_cache
def extend(request, key: str):
    """"Plus de temps": the same challenge under a new key with the longer time limit (RGAA 13.1)."""
    longer = services.extend(key, services.binding(request))
    if longer is None:
        return JsonResponse({"error": "Cette image a expiré : changez d'image."}, status=404)
    minutes = int(settings.CAPTCHA_EXTENDED_TTL.total_seconds() // 60)
    return JsonResponse({**services.challenge(longer), "minutes": minutes})
