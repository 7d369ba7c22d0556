"""J4 views: the change form, its confirmation ("Enregistrement")."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.flows import credentials
from accounts.forms import CredentialsChangeForm
from core.messages import message, refusal
from codes.requests import EmailUnavailable
from accounts.decorators import space_required

STEPPER = ["Modification", "Enregistrement"]


@require_http_methods(["GET", "POST"])
@space_required
def change_view(request):
    space = request.user
    data = request.POST if request.method == "POST" else None
    # "?modifier=mot-de-passe" (home's expiry notice): the password box comes ticked.
    initial = {"change_password": request.GET.get("modifier") == "mot-de-passe"}
    form = CredentialsChangeForm(data, initial=initial, space=space)
    if form.is_bound and form.is_valid():
        try:
            credentials.change_credentials(request, space, form.change())
        except credentials.CurrentPasswordRefused as refused:
            form.add_error("current_password", refusal("current_password_refused", refused.until))
        except ValidationError as error:  # the new password (R-PWD-1..5)
            form.add_error("new_password", error)
        except credentials.TooManyChecks:
            form.add_error("new_email", message("too_many_email_checks"))
        except EmailUnavailable:  # R-MAIL-3
            form.add_error("new_email", message("email_unavailable"))
        else:
            return redirect("espace:credentials_done")
    context = {"steps": STEPPER, "step": 1, "form": form, "space": space}
    return render(request, "espace/credentials/form.html", context, status=400 if form.errors else 200)


@require_GET
@space_required
def done_view(request):
    done = credentials.done_of(request.session)
    if done is None:
        return redirect("espace:credentials")
    context = {"steps": STEPPER, "step": 2, "done": done, "space": request.user}
    return render(request, "espace/credentials/done.html", context)
