"""J3 views: the login page and logout."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.flows import expiry as expiry_flow
from accounts.flows import login as login_flow
from accounts.forms import LoginForm
from core.messages import message, refusal


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect("espace:home")
    form = LoginForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        result = login_flow.log_in(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        if result.outcome is login_flow.Outcome.OK:
            return redirect(result.next_url or "espace:home")
        if result.outcome is login_flow.Outcome.EXPIRED:  # R-EXP-2: no session, "Mot de passe expiré"
            expiry_flow.note_expired_login(request.session, email=form.cleaned_data["email"])
            return redirect(result.next_url)
        form.add_error(None, refusal("login_refused", result.until))
    return render(request, "espace/login.html", {"form": form}, status=400 if form.is_bound else 200)


@require_POST
def logout_view(request):
    login_flow.log_out(request)
    # Said on the login page, in the new anonymous session: a person on a shared computer
    # sees that the space is closed (the session was flushed by the logout).
    messages.info(request, message("logged_out"))
    return redirect("espace:login")
