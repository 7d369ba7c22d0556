"""Error pages in French, DSFR, with a way back; never a stack trace (SPEC §4 "Bad input")."""

import sys
from urllib.parse import urlsplit

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from django.middleware.csrf import REASON_BAD_ORIGIN, REASON_BAD_REFERER, REASON_NO_REFERER
from django.shortcuts import render


def _error(request, status, title, text, hint=""):
    context = {"status": status, "title": title, "text": text, "hint": hint}
    return render(request, "core/error.html", context, status=status)


def bad_request(request, exception=None):
    return _error(
        request,
        400,
        "Requête invalide",
        "La requête envoyée n'a pas pu être comprise.",
        "Revenez à la page précédente, rechargez-la et recommencez.",
    )


def forbidden(request, exception=None):
    return _error(request, 403, "Accès refusé", "Vous n'avez pas accès à cette page.")


def not_found(request, exception=None):
    return _error(
        request,
        404,
        "Page non trouvée",
        "La page que vous cherchez est introuvable.",
        "Si vous avez tapé l'adresse dans le navigateur, vérifiez qu'elle est correcte. "
        "La page n'est peut-être plus disponible.",
    )


def method_not_allowed(request):
    return _error(
        request,
        405,
        "Cette page ne s'ouvre pas ainsi",
        "Cette adresse ne sert qu'à envoyer un formulaire (par exemple le bouton « Me déconnecter ») : "
        "elle ne peut pas être ouverte directement.",
        "Utilisez les boutons de la page plutôt que l'historique ou un favori.",
    )


def server_error(request):
    if shared_store_down(sys.exception()):
        return service_unavailable(request)
    return _error(
        request, 500, "Erreur inattendue", "Le service rencontre une difficulté. Veuillez réessayer plus tard."
    )


# How long a browser or a client is told to wait when the shared store is away (Retry-After).
RETRY_AFTER_SECONDS = 120


def service_unavailable(request):
    """The answer of any request that needed Redis while it is unreachable (issue 18 §4).

    Sessions, rate-limit counters and captcha ceilings live there: without them a secret
    check cannot be counted, so none runs (fail closed: the hasher is never reached, the
    throttle is never skipped) and the person is told to come back, not that the service broke.
    """
    response = _error(
        request,
        503,
        "Service momentanément indisponible",
        "Service momentanément indisponible, réessayez dans quelques minutes.",
        "Patientez quelques minutes, puis rechargez la page.",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def shared_store_down(error: BaseException | None) -> bool:
    """Return whether error comes from Redis being unreachable or mute.

    The throttle's RedisStore raises redis's own errors; the cache and the cache session
    store raise django-redis's ConnectionInterrupted, raised from them (``__cause__``).
    """
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, RedisConnectionError | RedisTimeoutError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


# Django's reasons for a refused form (django.middleware.csrf): an origin check names the
# address the browser reported; the other reasons are about the cookie or the token.
_ORIGIN_FAILED = REASON_BAD_ORIGIN.split("%s")[0]  # "Origin checking failed - "
_REFERER_FAILED = REASON_NO_REFERER.split(" - ")[0]  # "Referer checking failed"
_NOT_TRUSTED = REASON_BAD_REFERER.split("%s")[1]  # " does not match any trusted origins."


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else url


def csrf_failure(request, reason=""):
    """Say what failed: behind a proxy on another address (the local nginx of the certificate
    trial, say), the origin check refuses every form, and a page that blamed cookies would
    send the person and the operator the wrong way."""
    if reason.startswith(_ORIGIN_FAILED) or (reason.startswith(_REFERER_FAILED) and reason.endswith(_NOT_TRUSTED)):
        origin = request.META.get("HTTP_ORIGIN") or _origin_of(request.META.get("HTTP_REFERER", ""))
        return _error(
            request,
            403,
            "Formulaire refusé",
            f"Le formulaire a été refusé : l'adresse du site que vous utilisez ({origin}) ne fait pas partie "
            "des origines de confiance du service.",
            "Ouvrez le service à son adresse habituelle et recommencez. Si vous administrez ce site, ajoutez "
            "cette adresse à CSRF_TRUSTED_ORIGINS.",
        )
    if reason.startswith(_REFERER_FAILED):  # no Referer, or one the check cannot read, over HTTPS
        return _error(
            request,
            403,
            "Formulaire refusé",
            "Le formulaire a été refusé : votre navigateur n'a pas indiqué de quelle page du site il venait, "
            "ce qu'exige une connexion sécurisée.",
            "Autorisez l'envoi de la page d'origine (le « référent ») pour ce site dans votre navigateur ou "
            "son extension, rechargez la page et recommencez.",
        )
    return _error(
        request,
        403,
        "Session expirée",
        "Votre formulaire a expiré ou votre navigateur bloque les cookies. Revenez à la page précédente, "
        "rechargez-la et recommencez.",
    )
