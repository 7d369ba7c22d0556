"""J6 views: the expiry alert after login, "Mot de passe expiré", "Historique de sécurité"."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.flows import expiry
from accounts.forms import ExpiredEmailForm, ExpiredPasswordForm
from core.messages import message, refusal
from accounts.selectors import security_history
from accounts.services.expiry import countdown
from accounts.decorators import space_required

STEPPER = ["Adresse électronique de connexion", "Nouveau mot de passe", "Récapitulatif"]


@require_GET
@space_required
def alert_view(request):
    """R-EXP-1: "Votre mot de passe expire le …" [OK] → home (nothing to show above 60 days)."""
    found = countdown(request.user)
    if found is None:
        return redirect("espace:home")
    return render(request, "espace/expiry/alert.html", {"space": request.user, "countdown": found})


def _step(request, template, step, form, status=200, **extra):
    context = {"steps": STEPPER, "step": step, "form": form, **extra}
    return render(request, f"espace/expiry/{template}.html", context, status=status)


@require_http_methods(["GET", "POST"])
def email_step_view(request):
    """Step 1: email + captcha. Any email goes on: this step tells nothing about it."""
    if request.method == "GET" and expiry.start_from_login(request.session):
        return redirect("espace:expired_password")  # the login just proved this email (guide 002)
    form = ExpiredEmailForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        expiry.start(request.session, form.cleaned_data["email"])
        return redirect("espace:expired_password")
    notice = message("expired_notice") if request.session.get(expiry.NOTICE_KEY) else None
    return _step(request, "email", 1, form, status=400 if form.is_bound else 200, notice=notice)


@require_http_methods(["GET", "POST"])
def password_step_view(request):
    """Step 2: old password, new, confirm → the recap, or one generic refusal."""
    email = expiry.started_email(request.session)
    if email is None:  # step 1 (and its captcha) not passed in this session
        return redirect("espace:expired")
    form = ExpiredPasswordForm(request.POST if request.method == "POST" else None, email=email)
    notice = message("expired_notice") if request.session.get(expiry.NOTICE_KEY) else None
    if request.method == "POST" and form.is_valid():
        try:
            space = expiry.check_old_password(request, email=email, old_password=form.cleaned_data["old_password"])
            expiry.validate_new_password(space, form.cleaned_data["password"])
        except expiry.RenewalRefused as refused:
            form.add_error(None, refusal("expired_refused", refused.until))
        except ValidationError as error:
            form.add_error("password", error)
        else:
            expiry.renew(request, space, new_password=form.cleaned_data["password"])
            return redirect("espace:expired_done")
    return _step(request, "password", 2, form, status=400 if form.is_bound else 200, email=email, notice=notice)


@require_GET
def done_view(request):
    """Step 3: the guide's recap, with the new last valid day (R-PWD-6)."""
    until = expiry.renewed_until(request.session)
    if until is None:
        return redirect("espace:expired")
    return render(request, "espace/expiry/done.html", {"steps": STEPPER, "step": 3, "until": until})


@require_GET
@space_required
def history_view(request):
    """The space's own security events of the last SECURITY_HISTORY_DAYS days, newest first."""
    page = security_history(request.user, page=request.GET.get("page"))
    return render(request, "espace/expiry/history.html", {"space": request.user, "page": page})
