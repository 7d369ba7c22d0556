"""J2 views: code + captcha, then email, then the confirmation page of the kind activated."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from codes import flows as activation
from codes.errors import CodeRefused
from codes.forms import ActivationEmailForm, CodeForm
from core.messages import message, refusal

STEPPER = ["Code d'activation", "Identifiants", "Récapitulatif"]


def _step(request, template, step, form, status=200):
    return render(
        request, f"codes/activation/{template}.html", {"steps": STEPPER, "step": step, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def code_step_view(request):
    form = CodeForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        activation.remember_code(request.session, form.cleaned_data["code"])
        return _step(request, "email", 2, ActivationEmailForm(initial={"code": form.cleaned_data["code"]}))
    return _step(request, "code", 1, form, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def email_step_view(request):
    if request.method == "GET":
        return redirect("codes:activation")
    form = ActivationEmailForm(request.POST)
    if not form.is_valid() or not activation.code_matches_step(request.session, form.cleaned_data["code"]):
        if not form.errors:  # a code that did not pass step 1 here: start again there
            return redirect("codes:activation")
        return _step(request, "email", 2, form, status=400)
    try:
        activation.activate(request, code=form.cleaned_data["code"], email=form.cleaned_data["email"])
    except CodeRefused as refused:  # R-CODE-2: one message, whatever the reason the audit log keeps
        form.add_error("email", refusal("code_refused", refused.until))
        return _step(request, "email", 2, form, status=400)
    return redirect("codes:activation_done")


@require_GET
def done_view(request):
    """The confirmation page the activated kind declared (its app's template)."""
    found = activation.activated_space(request.session)
    kind = activation.done_kind(request.session)
    if found is None or kind is None:
        return redirect("codes:activation")
    space, at = found
    context = kind.done_context(space, at) if kind.done_context else {}
    return render(request, kind.done_template, {**context, "steps": STEPPER, "step": 3, "space": space})
