"""Static pages reached from the footer and the login page: help, accessibility, legal notice,
personal data. Plain templates; what they state of the product comes from settings, so that a
duration changed there is changed on the page too."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def help_view(request):
    return render(request, "espace/pages/help.html", {"code_hours": _hours(settings.ACTIVATION_CODE_TTL)})


@require_GET
def accessibility_view(request):
    return render(request, "espace/pages/accessibility.html")


@require_GET
def legal_view(request):
    return render(request, "espace/pages/legal.html")


@require_GET
def privacy_view(request):
    context = {
        "code_hours": _hours(settings.ACTIVATION_CODE_TTL),
        "password_years": settings.PASSWORD_VALIDITY_YEARS,
        "history_size": settings.PASSWORD_HISTORY_SIZE,
        "idle_minutes": int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60),
        "absolute_hours": _hours(settings.SESSION_ABSOLUTE_TIMEOUT),
    }
    return render(request, "espace/pages/privacy.html", context)


def _hours(duration) -> int:
    return int(duration.total_seconds() // 3600)
