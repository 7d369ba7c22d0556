"""Error pages in French, DSFR, with a way back; never a stack trace (SPEC §4 "Bad input")."""

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
