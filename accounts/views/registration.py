"""J1 views: parse, call the wizard, render."""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.flows import recovery, registration
from accounts.flows.registration import EmailOfCertificateSpace, EmailUnavailable, TooManyRequests, Wizard
from accounts.forms import CguForm, CredentialsForm, RegistrationForm, SimplifiedRegistrationForm
from core.messages import message
from accounts.decorators import reads_session_only
from accounts.selectors import profile_display
from core.client import client_ip
from core.throttle import Throttle
from accounts.validators import password_level

# The wizard's intro (cgu.html) names its steps with the same words.
STEPPER = ["Conditions générales", "Identifiants", "Formulaire d'inscription", "Confirmation de l'inscription"]


def _page(request, template, step, form=None, **context):
    """Render a wizard step; a refused submission answers 400 with the errors by the fields."""
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, {"steps": STEPPER, "step": step, "form": form, **context}, status=status)


def _restart(request):
    """Leave a wizard URL that has no wizard behind it (browser back, old tab, expired session).

    Right after "Confirmer" the request was sent: show that page again rather than a failure.
    Otherwise a neutral new start: the notice is carried by the URL, not queued as a message,
    so that several stale pages opened in a row never stack identical banners.
    """
    if request.session.get(registration.SENT_KEY):
        return redirect("espace:creation_sent")
    return redirect(reverse("espace:creation_choice") + "?reprise=1")


@require_GET
def choice_view(request):
    context = {"resumed": "reprise" in request.GET, "resumed_text": message("session_lost")}
    return render(request, "espace/creation/choice.html", context)


@require_GET
def cgu_view(request):
    return render(request, "espace/creation/cgu_text.html")


@require_http_methods(["GET", "POST"])
def cgu_step_view(request):
    """Step 1. A GET only shows: a link from another site ("?mode=…") must not reset a wizard
    in progress. The mode the choice page's link names is carried by the form and applied by
    its POST (CSRF-protected), with the acceptance of the terms."""
    wizard = Wizard(request.session)
    asked = (request.POST if request.method == "POST" else request.GET).get("mode")
    mode = asked if asked in registration.MODES else wizard.mode
    form = CguForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        wizard.choose(mode)
        wizard.accept_cgu()
        return redirect("espace:creation_credentials")
    return _page(request, "espace/creation/cgu.html", 1, form=form, mode=mode, mode_label=registration.MODES[mode])


@require_http_methods(["GET", "POST"])
def credentials_step_view(request):
    wizard = Wizard(request.session)
    if not wizard.reached("credentials"):
        return _restart(request)
    initial = {"email": wizard.email, "email_confirm": wizard.email}
    form = CredentialsForm(request.POST if request.method == "POST" else None, initial=initial)
    certificate = False
    if request.method == "POST" and form.is_valid():
        try:
            registration.check_email(request, form.cleaned_data["email"])
        except TooManyRequests:
            form.add_error("email", message("too_many_creations"))
        except EmailOfCertificateSpace:
            certificate = True
            form.add_error("email", message("email_certificate"))
        except EmailUnavailable:
            form.add_error("email", message("email_taken"))
        else:
            wizard.set_credentials(email=form.cleaned_data["email"], password=form.cleaned_data["password"])
            return redirect("espace:creation_form")
    return _page(request, "espace/creation/credentials.html", 2, form=form, certificate=certificate)


@require_http_methods(["GET", "POST"])
def form_step_view(request):
    wizard = Wizard(request.session)
    if not wizard.reached("form"):
        return _restart(request)
    if request.POST.get("action") == "clear":
        wizard.clear_form()
        return redirect("espace:creation_form")
    if request.POST.get("action") == "back":
        wizard.keep_draft(request.POST)
        return redirect("espace:creation_credentials")
    initial = {"country": "FRANCE", **wizard.form_initial(), "contact_email": wizard.email}
    form_class = SimplifiedRegistrationForm if wizard.simplified else RegistrationForm
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        wizard.set_form(form.cleaned_data)
        return redirect("espace:creation_summary")
    return _page(request, "espace/creation/form.html", 3, form=form, simplified=wizard.simplified)


@require_http_methods(["GET", "POST"])
def summary_step_view(request):
    wizard = Wizard(request.session)
    if not wizard.reached("summary"):
        return _restart(request)  # "Confirmer" clicked twice lands on the sent page
    if request.method == "POST":
        try:
            registration.confirm(request, wizard)
        except (EmailUnavailable, EmailOfCertificateSpace):
            messages.error(request, message("email_taken"))
            return redirect("espace:creation_credentials")
        except TooManyRequests:
            messages.error(request, message("too_many_creations"))
            return redirect("espace:creation_summary")
        return redirect("espace:creation_sent")
    data = wizard.summary()
    display = profile_display(data)  # the same reading as the récapitulatif's
    context = {
        "data": data,
        "company_name": display.company_name,
        "siren": display.company_identifier,
        "phone": display.phone,
        "civility": display.civility,
        "company": wizard.company(),  # mode simplifié (R-ADH-4)
    }
    return _page(request, "espace/creation/summary.html", 4, **context)


@require_GET
def sent_view(request):
    sent = request.session.get("espace_creation_sent")
    if not sent:
        return redirect("espace:creation_choice")
    return render(request, "espace/creation/sent.html", {"sent": sent})


@reads_session_only
@require_POST
def password_level_view(request):
    """Return the strength level of a password as the user types (R-PWD-2, progressive
    enhancement: the server decides; the page works without it). POST so that the
    password never lands in a URL or an access log. zxcvbn costs CPU: the calls are
    capped per client address, and an input past the policy's length is not scored."""
    if not Throttle.default().within_limit("password_levels_per_address", key=client_ip(request)):
        return JsonResponse({"erreur": message("too_many_levels")}, status=429)
    user = request.user if request.user.is_authenticated else None
    if user is None:
        # J5 step 3: the browser proved the code of a space, whose data the new password is
        # judged against on the server; the meter judges it the same way.
        proven = recovery.proven(request.session)
        user = proven.space if proven else None
    label, allowed = password_level(
        request.POST.get("password", "")[: settings.PASSWORD_MAX_LENGTH + 1],
        user=user,
        email=request.POST.get("email", "")[:100],
    )
    return JsonResponse({"niveau": label, "autorise": allowed})
