"""J8 views: "Opter pour l'accès sans certificat", inside the space and from the login page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from codes import flows as activation
from core import clock
from accounts.flows import option as flow
from accounts.flows.option import INSIDE, OUTSIDE, CodeRefused, EmailUnavailable, Option, StateLost, TooManyRequests
from accounts.forms import OptionCodeForm, OptionCredentialsForm, OptionRecoveryForm, OptionTrustForm
from core.messages import message, refusal
from accounts.decorators import certificate_required
from accounts.kinds import Kind
from accounts.models import AccessMode

# The URL names of each origin's steps: both run the same two steps.
ROUTES = {
    INSIDE: {
        "start": "espace:option",
        "credentials": "espace:option_credentials",
        "trust": "espace:option_trust",
        "sent": "espace:option_sent",
    },
    OUTSIDE: {
        "start": "espace:option_recovery",
        "credentials": "espace:option_recovery_credentials",
        "trust": "espace:option_recovery_trust",
        "sent": "espace:option_recovery_sent",
    },
}
# Outside, the number and the code received are two steps of their own before the shared ones:
# each page of the path moves the stepper on (issue 13 item 3).
STEPPERS = {
    INSIDE: ["Option", "Créer vos identifiants", "Question de confiance", "Activation"],
    OUTSIDE: ["Numéro d'abonné", "Code reçu", "Créer vos identifiants", "Question de confiance", "Activation"],
}
STEP = {
    INSIDE: {"start": 1, "credentials": 2, "trust": 3, "sent": 4},
    OUTSIDE: {"start": 1, "code": 2, "credentials": 3, "trust": 4, "sent": 5},
}


def _page(request, origin, template, step, form=None, **context):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    steps, number = STEPPERS[origin], STEP[origin][step]
    context = {"origin": origin, "routes": ROUTES[origin], "steps": steps, "step": number, "form": form, **context}
    if origin == INSIDE:
        context["space"] = request.user
    return render(request, f"espace/option/{template}.html", context, status=status)


def _lost(origin):
    """Leave a step with no option behind it (old tab, other space, code too old, opted already)."""
    return redirect(reverse(ROUTES[origin]["start"]) + "?reprise=1")


def _lost_notice(request) -> str:
    return message("option_lost") if "reprise" in request.GET else ""


def _user(request, origin):
    return request.user if origin == INSIDE else None


def _credentials(request, origin):
    option = Option(request.session, origin)
    try:
        space = option.space(_user(request, origin))
    except StateLost:
        return _lost(origin)
    initial = {"email": option.email or space.contact_email, "email_confirm": option.email or space.contact_email}
    form = OptionCredentialsForm(request.POST if request.method == "POST" else None, initial=initial, space=space)
    if request.method == "POST" and form.is_valid():
        try:
            flow.check_email(request, space, form.cleaned_data["email"])
        except flow.TooManyChecks:
            form.add_error("email", message("too_many_email_checks"))
        except EmailUnavailable:
            form.add_error("email", message("option_email_taken"))
        else:
            option.set_credentials(email=form.cleaned_data["email"], password=form.cleaned_data["password"])
            return redirect(ROUTES[origin]["trust"])
    return _page(request, origin, "credentials", "credentials", form=form, proven=option.proven)


def _trust(request, origin):
    option = Option(request.session, origin)
    try:
        space = option.space(_user(request, origin))
    except StateLost:
        return _lost(origin)
    if not option.reached("trust") or request.POST.get("action") == "back":
        return redirect(ROUTES[origin]["credentials"])
    form = OptionTrustForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Outside, a login email that is the mailbox the code just proved needs no second code.
        at_once = option.email_is_proven()
        try:
            if at_once:
                flow.apply_at_once(request, option, space, **form.cleaned_data)
            else:
                flow.confirm(request, option, space, **form.cleaned_data)
        except EmailUnavailable:  # taken by another space between the two steps
            messages.error(request, message("option_email_taken"))
            return redirect(ROUTES[origin]["credentials"])
        except StateLost:  # the space opted meanwhile (another browser)
            return _lost(origin)
        return redirect("espace:option_recovery_done" if at_once else ROUTES[origin]["sent"])
    return _page(request, origin, "trust", "trust", form=form, email=option.email, at_once=option.email_is_proven())


def _sent(request, origin):
    sent = Option(request.session, origin).sent
    if not sent:
        return redirect(ROUTES[origin]["start"])
    return _page(request, origin, "sent", "sent", sent=sent)


# Inside the space (guide 004 §2-3)


@require_http_methods(["GET", "POST"])
@certificate_required
def warning_view(request):
    """The irrevocable warning; its button starts the wizard."""
    if request.method == "POST":
        Option(request.session, INSIDE).begin(request.user, clock.now())
        return redirect("espace:option_credentials")
    return _page(request, INSIDE, "warning", "start", lost=_lost_notice(request))


@require_http_methods(["GET", "POST"])
@certificate_required
def credentials_view(request):
    return _credentials(request, INSIDE)


@require_http_methods(["GET", "POST"])
@certificate_required
def trust_view(request):
    return _trust(request, INSIDE)


@require_GET
@certificate_required
def sent_view(request):
    return _sent(request, INSIDE)


# Outside the space, from the login page (lost, revoked or expired certificate)


@require_http_methods(["GET", "POST"])
def recovery_view(request):
    """The number and the email on file; one answer whether or not they match a space."""
    form = OptionRecoveryForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["subscriber_number"]
        try:
            flow.request_code(request, number=number, email=form.cleaned_data["email"])
        except TooManyRequests:
            form.add_error(None, message("too_many_option_requests"))
        else:
            request.session[flow.SESSION_KEY] = {"origin": OUTSIDE, "number": number}
            return redirect("espace:option_recovery_code")
    return _page(request, OUTSIDE, "recovery", "start", form=form, lost=_lost_notice(request))


@require_http_methods(["GET", "POST"])
def recovery_code_view(request):
    option = Option(request.session, OUTSIDE)
    number = option.state.get("number", "") if option.state.get("origin") == OUTSIDE else ""
    form = OptionCodeForm(request.POST if request.method == "POST" else None, initial={"subscriber_number": number})
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            flow.check_code(request, option, number=data["subscriber_number"], code=data["code"])
        except CodeRefused as refused:
            form.add_error("code", refusal("option_code_refused", refused.until))
        else:
            return redirect("espace:option_recovery_credentials")
    return _page(request, OUTSIDE, "recovery_code", "code", form=form, sent_notice=message("option_recovery_sent"))


@require_http_methods(["GET", "POST"])
def recovery_credentials_view(request):
    return _credentials(request, OUTSIDE)


@require_http_methods(["GET", "POST"])
def recovery_trust_view(request):
    return _trust(request, OUTSIDE)


@require_GET
def recovery_sent_view(request):
    return _sent(request, OUTSIDE)


@require_GET
def recovery_done_view(request):
    """The option applied at once (the chosen email was the one the code proved): J2's confirmation page."""
    found = activation.activated_space(request.session)
    done = request.session.get(activation.DONE_KEY) or {}
    if found is None or done.get("kind") != Kind.OPTION:
        return redirect("espace:option_recovery")
    space, _ = found
    steps = STEPPERS[OUTSIDE]
    return render(
        request, "espace/option/done.html", {"origin": OUTSIDE, "steps": steps, "step": len(steps), "space": space}
    )
