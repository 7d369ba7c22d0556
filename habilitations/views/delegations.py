"""J13 "Gérer mes délégations" (R-DEL-1): the list, "Déléguer" → recap → "Valider", "Révoquer";
the delegate's "Accepter", "Refuser", "Renoncer".

Grantor-side pages go through dossier_view and ask policy.may_delegate (a délégataire gets a
404) and policy.delegation_given for an id; the delegate's actions ask
policy.delegation_received: another space's delegation is a 404, whatever id is typed.
Outcomes are said on the list after the redirect; refusals in French, never a 500.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalogue.selectors import by_family
from core import clock
from core.decorators import space_required
from core.identity import format_siren
from core.messages import message
from habilitations import policy, selectors
from habilitations.decorators import dossier_view
from habilitations.flows import delegations as flow
from habilitations.forms.delegations import DelegationForm
from habilitations.services import delegations
from habilitations.services.delegations import DelegationRefused
from habilitations.services.sharing import DesignationRefused, person

CONFIRM = "oui"  # the value of a confirmation page's button
STEPPER = ["Délégation", "Récapitulatif"]
# Where each refusal is said in the form.
FIELD_OF = {
    "delegation_no_service": "services",
    "delegation_services_not_managed": "services",
    "delegation_end_past": "ends_on",
}


@require_GET
@space_required
def list_view(request):
    now = clock.now()
    context = {
        "space": request.user,
        "given": selectors.delegations_given(request.user, now),
        "received": selectors.delegations_received(request.user, now),
    }
    return render(request, "habilitations/delegations/list.html", context)


def _manager(access):
    """The grantor side only (R-DEL-1: a délégataire never delegates further): else a 404."""
    if not policy.may_delegate(access):
        raise Http404()
    return access


def _form_page(request, access, form, status=200):
    context = {"steps": STEPPER, "step": 1, "form": form, "space": request.user, "dossier": access.dossier}
    return render(request, "habilitations/delegations/form.html", context, status=status)


def _refusal(form, refused) -> None:
    text = refused.message() if isinstance(refused, DelegationRefused) else message(refused.code)
    form.add_error(FIELD_OF.get(refused.code, "subscriber_number"), text)


@require_http_methods(["GET", "POST"])
@dossier_view
def new_view(request, access):
    _manager(access)
    managed = access.managed()
    if request.method == "GET":
        kept = flow.draft(request, access)  # "Étape précédente" comes back with the services and date
        initial = {"services": kept.services, "ends_on": kept.ends_on} if kept else {}
        return _form_page(request, access, DelegationForm(initial=initial, managed=managed))
    form = DelegationForm(request.POST, managed=managed)
    if form.is_valid():
        data = form.cleaned_data
        try:
            flow.start(
                request, access, number=data["subscriber_number"], last_name=data["last_name"],
                services=data["services"], ends_on=data["ends_on"],
            )
        except (DesignationRefused, DelegationRefused) as refused:
            _refusal(form, refused)
            return _form_page(request, access, form, status=429 if refused.code == "designation_throttled" else 400)
        return redirect("habilitations:delegation_recap", siren=access.dossier.siren)
    return _form_page(request, access, form, status=400)


@require_http_methods(["GET", "POST"])
@dossier_view
def recap_view(request, access):
    _manager(access)
    try:
        plan = flow.recap(request, access)
        if plan is None:
            return redirect("habilitations:delegation_new", siren=access.dossier.siren)
        if request.method == "POST":
            created = flow.validate(request, access)
            messages.success(
                request,
                message(
                    "delegation_offered_done", person=person(created.delegate), until=clock.long_date(created.answer_by)
                ),
            )
            return redirect("habilitations:delegations")
    except DelegationRefused as refused:
        # The rules changed since the form (a service lost, the delegate's space closed): the
        # form again, with why; the person is typed again (its check is the throttled one).
        kept, managed = flow.draft(request, access), access.managed()
        codes = {service.code for service in managed}
        still = [code for code in kept.services if code in codes]
        form = DelegationForm({"services": still, "ends_on": kept.ends_on or ""}, managed=managed)
        form.is_valid()
        form.errors.pop("services", None)
        for name in ("subscriber_number", "last_name"):
            form.errors.pop(name, None)
        form.add_error(FIELD_OF.get(refused.code, "services"), refused.message())
        return _form_page(request, access, form, status=409)
    context = {
        "steps": STEPPER,
        "step": 2,
        "plan": plan,
        "siren": format_siren(plan.dossier.siren),
        "delegate": person(plan.delegate),
        "number": plan.delegate.subscriber_number,
        "families": by_family(plan.services),
        "ttl_days": settings.DELEGATION_ANSWER_TTL.days,
        "space": request.user,
    }
    return render(request, "habilitations/delegations/recap.html", context)


def _names(delegation) -> dict:
    return {"siren": format_siren(delegation.dossier.siren), "name": delegation.dossier.name}


@require_POST
@dossier_view
def revoke_view(request, access, pk: int):
    delegation = policy.delegation_given(_manager(access), pk)
    if delegation is None:
        raise Http404()
    now = clock.now()
    if request.POST.get("confirm") != CONFIRM:  # the confirmation page first: access ends at once
        row = selectors.delegation_given_row(delegation, now)
        return render(request, "habilitations/delegations/revoke.html", {"space": request.user, "row": row})
    try:
        delegations.revoke(delegation=delegation, actor=request.user, now=now, request=request)
    except DelegationRefused as refused:
        messages.error(request, refused.message())
    else:
        done = message("delegation_revoked_done", person=person(delegation.delegate), **_names(delegation))
        messages.success(request, done)
    return redirect("habilitations:delegations")


def _received(request, pk: int):
    delegation = policy.delegation_received(request.user, pk)
    if delegation is None:
        raise Http404()
    return delegation


def _answer(request, delegation, change, done: str):
    try:
        change(delegation=delegation, now=clock.now(), request=request)
    except DelegationRefused as refused:
        messages.error(request, refused.message())
    else:
        messages.success(request, message(done, **_names(delegation)))
    return redirect("habilitations:delegations")


@require_POST
@space_required
def accept_view(request, pk: int):
    return _answer(request, _received(request, pk), delegations.accept, "delegation_accepted_done")


@require_POST
@space_required
def refuse_view(request, pk: int):
    return _answer(request, _received(request, pk), delegations.refuse, "delegation_refused_done")


@require_POST
@space_required
def renounce_view(request, pk: int):
    delegation = _received(request, pk)
    if request.POST.get("confirm") != CONFIRM:  # the confirmation page first: access ends at once
        row = selectors.delegation_received_row(delegation, clock.now())
        return render(request, "habilitations/delegations/renounce.html", {"space": request.user, "row": row})
    return _answer(request, delegation, delegations.renounce, "delegation_renounced_done")
