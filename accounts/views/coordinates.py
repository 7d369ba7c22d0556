"""J15 views: the form, its confirmation ("Enregistrement")."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import space_required
from accounts.flows import coordinates
from accounts.forms import CoordinatesForm
from core.messages import refusal

STEPPER = ["Modification", "Enregistrement"]


@require_http_methods(["GET", "POST"])
@space_required
def change_view(request):
    space = request.user
    form = CoordinatesForm(request.POST if request.method == "POST" else None, space=space)
    if form.is_bound and form.is_valid():
        try:
            coordinates.change_coordinates(
                request, space, current_password=form.cleaned_data["current_password"], values=form.values()
            )
        except coordinates.CurrentPasswordRefused as refused:
            form.add_error("current_password", refusal("current_password_refused", refused.until))
        else:
            return redirect("espace:coordinates_done")
    context = {"steps": STEPPER, "step": 1, "form": form, "space": space}
    return render(request, "espace/coordinates/form.html", context, status=400 if form.errors else 200)


@require_GET
@space_required
def done_view(request):
    done = coordinates.done_of(request.session)
    if done is None:
        return redirect("espace:coordinates")
    context = {"steps": STEPPER, "step": 2, "done": done, "space": request.user}
    return render(request, "espace/coordinates/done.html", context)
