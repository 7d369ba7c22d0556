"""J16 views: the refusal or the irrevocable warning, the password + captcha form, the confirmation."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import space_required
from accounts.flows import deletion
from accounts.forms import DeletionForm
from core.messages import refusal
from habilitations import selectors as habilitations


@require_GET
@space_required
def warning_view(request):
    space = request.user
    titled = deletion.blocking(space)
    if titled:
        return render(request, "espace/deletion/refused.html", {"space": space, "services": titled})
    held = habilitations.live_rows(space)
    context = {
        "space": space,
        "rows": held.rows,
        "count": held.page.paginator.count,
        "pending": habilitations.pending_adhesions(space),
    }
    return render(request, "espace/deletion/warning.html", context)


@require_http_methods(["GET", "POST"])
@space_required
def confirm_view(request):
    space = request.user
    if deletion.blocking(space):
        return redirect("espace:delete")
    form = DeletionForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_bound and form.is_valid():
        try:
            deletion.delete_space(request, space, current_password=form.cleaned_data["current_password"])
        except deletion.CurrentPasswordRefused as refused:
            form.add_error("current_password", refusal("current_password_refused", refused.until))
        except deletion.StillTitulaire:
            return redirect("espace:delete")
        else:
            return redirect("espace:deleted")
    context = {"space": space, "form": form}
    return render(request, "espace/deletion/confirm.html", context, status=400 if form.errors else 200)


@require_GET
def done_view(request):
    if not deletion.was_deleted(request.session):
        return redirect("espace:login")
    return render(request, "espace/deletion/done.html")
