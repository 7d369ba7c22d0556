"""Inside the space: home (R-HOME-1), "Gérer mon espace", the recap at any time (R-PDF-2)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import space_required
from accounts.services import expiry
from accounts.views.recap import recap_response
from habilitations.flows import dossiers
from habilitations.forms.dossiers import ChooseDossierForm


@require_GET
@space_required
def home_view(request):
    """Guide 001's three screens (R-HOME-1): the welcome, the current dossier and its services,
    the dossiers to choose from. R-EXP-1: "Attention, votre accès sera bloqué dans N jours."
    at most 60 days before the password expires."""
    context = {
        "space": request.user,
        "countdown": expiry.countdown(request.user),
        "home": dossiers.home(request),
        "search_form": ChooseDossierForm(),
    }
    return render(request, "espace/home.html", context)


@require_GET
@space_required
def manage_view(request):
    return render(request, "espace/manage.html", {"space": request.user})


@require_GET
@space_required
def recap_pdf_view(request):
    return recap_response(request, request.user)
