"""Inside the space: home, "Gérer mon espace", the recap at any time (R-PDF-2)."""

from functools import wraps

from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from espace.services import passwords
from espace.views.activation import recap_response


def space_required(view):
    """Let in a logged-in space whose password is still valid (R-EXP-3: nothing otherwise)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("espace:login")
        if passwords.is_expired(request.user):
            logout(request)
            return redirect("espace:login")
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@space_required
def home_view(request):
    return render(request, "espace/home.html", {"space": request.user})


@require_GET
@space_required
def manage_view(request):
    return render(request, "espace/manage.html", {"space": request.user})


@require_GET
@space_required
def recap_pdf_view(request):
    return recap_response(request, request.user)
