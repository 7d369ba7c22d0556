"""J9 views: "Adhérer aux services" → recap → "courrier envoyé"."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from catalogue.selectors import by_family
from core.decorators import space_required
from core.messages import message
from habilitations.flows import adhesion
from habilitations.forms.adhesion import AdhesionForm
from habilitations.services.adhesion import AdhesionRefused
from habilitations.addresses import masked

STEPPER = ["Demande", "Récapitulatif", "Envoi du courrier"]
# Where each refusal is said: by the SIREN, or by the services ticked.
SIREN_REFUSALS = {"adhesion_company_unknown", "adhesion_company_closed", "adhesion_no_siege"}


def refusal_text(refused: AdhesionRefused) -> str:
    return message(refused.code, services=", ".join(service.label for service in refused.services))


def _form_page(request, form, status=200):
    context = {"steps": STEPPER, "step": 1, "form": form, "space": request.user}
    return render(request, "habilitations/adhesion/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@space_required
def form_view(request):
    if request.method == "GET":
        kept = adhesion.draft(request)  # "Étape précédente" comes back with the draft
        initial = {"siren": kept.siren, "statut": kept.statut, "services": kept.services} if kept else {}
        return _form_page(request, AdhesionForm(initial=initial))
    form = AdhesionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            adhesion.start(request, siren=data["siren"], statut=data["statut"], services=data["services"])
        except AdhesionRefused as refused:
            form.add_error("siren" if refused.code in SIREN_REFUSALS else "services", refusal_text(refused))
        else:
            return redirect("habilitations:adhesion_recap")
    return _form_page(request, form, status=400)


@require_http_methods(["GET", "POST"])
@space_required
def recap_view(request):
    try:
        plan = adhesion.recap(request)
    except AdhesionRefused as refused:
        return _back_to_form(request, refused)
    if plan is None:
        return redirect("habilitations:adhesion")
    error = None
    if request.method == "POST":
        try:
            adhesion.validate(request)
        except AdhesionRefused as refused:
            return _back_to_form(request, refused)
        except adhesion.TooManyRequests:
            error = message("adhesion_too_many")
        else:
            return redirect("habilitations:adhesion_sent")
    kept = adhesion.draft(request)
    context = {
        "steps": STEPPER,
        "step": 2,
        "plan": plan,
        "statut": dict(AdhesionForm.base_fields["statut"].choices).get(kept.statut, ""),
        "families": by_family(plan.services),
        "error": error,
        "ttl_days": settings.ADHESION_CODE_TTL.days,
        "space": request.user,
    }
    return render(request, "habilitations/adhesion/recap.html", context, status=429 if error else 200)


def _back_to_form(request, refused: AdhesionRefused):
    """The rules changed since the form (a letter came first): the form again, with the draft and why."""
    kept = adhesion.draft(request)
    form = AdhesionForm({"siren": kept.siren, "statut": kept.statut, "services": kept.services})
    form.is_valid()
    form.add_error("siren" if refused.code in SIREN_REFUSALS else "services", refusal_text(refused))
    return _form_page(request, form, status=409)


@require_GET
@space_required
def sent_view(request):
    created = adhesion.sent(request)
    if created is None:
        return redirect("habilitations:adhesion")
    context = {
        "steps": STEPPER,
        "step": 3,
        "adhesion": created,
        "address": masked(created.address),
        "space": request.user,
    }
    return render(request, "habilitations/adhesion/sent.html", context)

