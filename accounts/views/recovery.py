"""J5 views: email + captcha, then the code, then answer + new password, then the confirmation."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import clock
from accounts.flows import recovery
from accounts.forms import ForgotForm, ResetCodeForm, ResetPasswordForm
from core.messages import message, refusal, throttled
from codes.requests import CodeRefused

STEPPER = ["Adresse électronique de connexion", "Code reçu par courriel", "Nouveau mot de passe", "Récapitulatif"]


def _page(request, template, step, status=200, **context):
    context = {"steps": STEPPER, "step": step, **context}
    return render(request, f"espace/recovery/{template}.html", context, status=status)


@require_http_methods(["GET", "POST"])
def forgot_view(request):
    form = ForgotForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            recovery.request_code(request, email=form.cleaned_data["email"])
        except recovery.TooManyRequests:
            form.add_error(None, message("too_many_resets"))
            return _page(request, "email", 1, status=429, form=form)
        # The same redirect for every address: the next page says "si un espace est associé…".
        return redirect("espace:forgot_code")
    return _page(request, "email", 1, status=400 if form.is_bound else 200, form=form)


@never_cache  # on success, the page names the space's trust question
@require_http_methods(["GET", "POST"])
def code_view(request):
    if request.method == "GET":
        form = ResetCodeForm(initial={"email": recovery.remembered_email(request.session)})
        sent = message("reset_sent") if form.initial["email"] else None
        return _page(request, "code", 2, form=form, sent=sent)
    form = ResetCodeForm(request.POST)
    if form.is_valid():
        try:
            recovery.prove_code(request, email=form.cleaned_data["email"], code=form.cleaned_data["code"])
        except CodeRefused as refused:
            form.add_error("code", refusal("reset_code_refused", refused.until))
        else:
            # Step 3 carries the code back from the browser (as J2 does): the session keeps
            # its digest only, and the page shows the question only now, after the proof.
            proven = recovery.proven(request.session)
            reset_form = ResetPasswordForm(initial={"code": form.cleaned_data["code"]}, space=proven.space)
            return _page(request, "reset", 3, form=reset_form, proven=proven)
    return _page(request, "code", 2, status=400, form=form)


@never_cache  # the page names the space's trust question
@require_http_methods(["GET", "POST"])
def reset_view(request):
    proven = recovery.proven(request.session)
    if proven is None or request.method == "GET":  # the code comes from step 2's page only
        return redirect("espace:forgot_code")
    form = ResetPasswordForm(request.POST, space=proven.space)
    if not form.is_valid():
        return _page(request, "reset", 3, status=400, form=form, proven=proven)
    if not recovery.code_matches_step(request.session, form.cleaned_data["code"]):
        return redirect("espace:forgot_code")
    try:
        recovery.reset(request, email=proven.email, code=form.cleaned_data["code"], **_secrets(form))
    except recovery.AnswerRefused:
        form.add_error("answer", message("reset_answer_refused"))
    except recovery.PasswordReused:
        form.add_error("password", message("password_reused", count=settings.PASSWORD_HISTORY_SIZE))
    except recovery.Throttled as blocked:
        form.add_error(None, throttled(blocked.until))
    except recovery.CodeVoided:
        voided = message("reset_code_voided")
        return _page(request, "email", 1, status=400, form=ForgotForm(request=request), notice=voided)
    except CodeRefused:
        form = ResetCodeForm(initial={"email": proven.email})
        return _page(request, "code", 2, status=400, form=form, notice=message("reset_step_lost"))
    else:
        return redirect("espace:forgot_done")
    return _page(request, "reset", 3, status=400, form=form, proven=proven)


def _secrets(form) -> dict:
    return {"answer": form.cleaned_data["answer"], "password": form.cleaned_data["password"]}


@require_GET
def done_view(request):
    until = recovery.done_until(request.session)
    if until is None:
        return redirect("espace:forgot")
    return _page(request, "done", 4, valid_until=clock.long_date(until))
