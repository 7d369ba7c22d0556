"""J12 "Gérer mes administrateurs suppléants" (R-SUP-1): the list, "Désigner" (look-up, then
confirmation), "Mettre en veille", "Réactiver", "Supprimer" (after a confirmation page).

Every view of a dossier goes through dossier_view, then asks policy.may_designate_suppleants
(the titulaire only) and, with an id, policy.suppleance(access, pk): anything else is a 404,
a suppléant's or another titulaire's designation as an unknown id (R-HAB-2). Outcomes are
said on the list after the redirect (Django messages).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import clock
from core.decorators import space_required
from core.identity import format_siren
from core.messages import message
from habilitations import policy, selectors
from habilitations.decorators import dossier_view
from habilitations.flows import suppleants as flow
from habilitations.forms.sharing import DesignationForm
from habilitations.services import suppleants
from habilitations.services.sharing import DesignationRefused, person
from habilitations.services.suppleants import SuppleanceRefused

CONFIRM = "oui"  # the value of a confirmation step's button
LIST = "habilitations:suppleants"


def _titulaire(access):
    if not policy.may_designate_suppleants(access):
        raise Http404()
    return access


def _designation(access, pk):
    found = policy.suppleance(_titulaire(access), pk)
    if found is None:
        raise Http404()
    return found


def _names(access, suppleance) -> dict:
    dossier = access.dossier
    return {"siren": format_siren(dossier.siren), "name": dossier.name, "person": person(suppleance.suppleant)}


@require_GET
@space_required
def list_view(request):
    shown = selectors.suppleants_page(request.user, page=request.GET.get("page"))
    pages = {
        "shown": shown.page,
        "previous": f"?page={shown.page.previous_page_number()}" if shown.page.has_previous() else None,
        "next": f"?page={shown.page.next_page_number()}" if shown.page.has_next() else None,
    }
    context = {"space": request.user, "shown": shown, "pages": pages}
    return render(request, "habilitations/suppleants/list.html", context)


@require_http_methods(["GET", "POST"])
@dossier_view
def designate_view(request, access):
    """GET: the form. POST: the look-up (then the confirmation page), or "Confirmer" (then done)."""
    _titulaire(access)
    context = {"space": request.user, "dossier": access.dossier, "siren": format_siren(access.dossier.siren)}
    if request.method == "GET":
        flow.forget(request)
        return render(request, "habilitations/suppleants/designate.html", {**context, "form": DesignationForm()})
    if request.POST.get("confirm") == CONFIRM:
        try:
            made = flow.confirm(request, access)
        except SuppleanceRefused as refused:  # the form again, empty, with why
            context.update(form=DesignationForm(), error=refused.message())
            return render(request, "habilitations/suppleants/designate.html", context, status=409)
        messages.success(request, message("suppleant_designated", **_names(access, made)))
        return redirect(LIST)
    form = DesignationForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            found = flow.look_up(
                request, access, number=form.cleaned_data["subscriber_number"], last_name=form.cleaned_data["last_name"]
            )
        except (DesignationRefused, SuppleanceRefused) as refused:
            form.add_error(None, message(refused.code))
            status = {"designation_throttled": 429, "suppleant_already": 409}.get(refused.code, 400)
        else:
            return render(
                request,
                "habilitations/suppleants/confirm.html",
                {**context, "person": person(found), "services": access.titled()},
            )
    return render(request, "habilitations/suppleants/designate.html", {**context, "form": form}, status=status)


def _act(request, access, pk, change, done: str):
    suppleance = _designation(access, pk)
    try:
        change(suppleance=suppleance, now=clock.now(), request=request)
    except SuppleanceRefused as refused:
        messages.error(request, refused.message())
    else:
        messages.success(request, message(done, **_names(access, suppleance)))
    return redirect(LIST)


@require_POST
@dossier_view
def hold_view(request, access, pk: int):
    return _act(request, access, pk, suppleants.put_on_hold, "suppleant_on_hold")


@require_POST
@dossier_view
def reactivate_view(request, access, pk: int):
    return _act(request, access, pk, suppleants.reactivate, "suppleant_reactivated")


@require_http_methods(["GET", "POST"])
@dossier_view
def remove_view(request, access, pk: int):
    """GET: what "Supprimer" will do, and "Confirmer la suppression"; POST: done."""
    if request.method == "POST":
        return _act(request, access, pk, suppleants.remove, "suppleant_removed")
    suppleance = _designation(access, pk)
    context = {
        "space": request.user,
        "dossier": access.dossier,
        "siren": format_siren(access.dossier.siren),
        "suppleance": suppleance,
        "person": person(suppleance.suppleant),
    }
    return render(request, "habilitations/suppleants/remove.html", context)
