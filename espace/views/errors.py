"""Error pages in French, never a stack trace (SPEC §4 "Bad input")."""

from django.shortcuts import render


def _error(request, status, title, text):
    return render(request, "espace/error.html", {"title": title, "text": text}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Requête invalide", "La requête envoyée n'a pas pu être comprise.")


def forbidden(request, exception=None):
    return _error(request, 403, "Accès refusé", "Vous n'avez pas accès à cette page.")


def not_found(request, exception=None):
    return _error(request, 404, "Page non trouvée", "La page que vous cherchez est introuvable.")


def server_error(request):
    return _error(
        request, 500, "Erreur inattendue", "Le service rencontre une difficulté. Veuillez réessayer plus tard."
    )


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        "Session expirée",
        "Votre formulaire a expiré ou votre navigateur bloque les cookies. Revenez à la page précédente, "
        "rechargez-la et recommencez.",
    )
