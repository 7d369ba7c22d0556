"""Inside the space: home, "Gérer mon espace", the recap at any time (R-PDF-2)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import space_required
from accounts.services import expiry
from accounts.views.recap import recap_response


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
