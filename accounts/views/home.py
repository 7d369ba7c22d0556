"""Inside the space: home, "Gérer mon espace", the recap at any time (R-PDF-2)."""

from functools import wraps

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.services import expiry
from accounts.views.recap import recap_response


def space_required(view):
    """Let in a logged-in space. An expired one was logged out before any view ran
    (SessionLifetimeMiddleware, R-EXP-3), so it arrives here anonymous."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("espace:login")
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@space_required
def home_view(request):
    # R-EXP-1: "Attention, votre accès sera bloqué dans N jours." at most 60 days before.
    return render(request, "espace/home.html", {"space": request.user, "countdown": expiry.countdown(request.user)})


@require_GET
@space_required
def manage_view(request):
    return render(request, "espace/manage.html", {"space": request.user})


@require_GET
@space_required
def recap_pdf_view(request):
    return recap_response(request, request.user)
