"""J9 views: "Adhérer aux services" → recap → "courrier envoyé".

J14 "Remplacer le titulaire (substitution)" (habilitations.views.substitution) is the same
three pages over its own ``Pages``: the handlers below take the journey's pages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from catalogue.selectors import by_family
from core.decorators import space_required
from core.messages import message
from habilitations.flows import adhesion as flow
from habilitations.forms.adhesion import AdhesionForm
from habilitations.services.adhesion import AdhesionRefused
from habilitations.addresses import masked

STEPPER = ["Demande", "Récapitulatif", "Envoi du courrier"]
# Where each refusal is said: by the SIREN, or by the services ticked.
SIREN_REFUSALS = {"adhesion_company_unknown", "adhesion_company_closed", "adhesion_no_siege", "substitution_nothing"}


@dataclass(frozen=True)
class Pages:
    """One request journey's three pages: URL names ``habilitations:<name>``, ``<name>_recap``,
    ``<name>_sent``; templates habilitations/<name>/form.html, recap.html, sent.html."""

    name: str
    title: str  # the pages' h1
    journey: flow.Journey
    form: Callable  # (request, data=None, initial=None) -> the journey's form

    def url(self, step: str = "") -> str:
        return f"habilitations:{self.name}" + (f"_{step}" if step else "")

    def template(self, page: str) -> str:
        return f"habilitations/{self.name}/{page}.html"

    def context(self, request, step: int, **extra) -> dict:
        return {"steps": STEPPER, "step": step, "space": request.user, "pages": self, **extra}


ADHESION = Pages(
    name="adhesion",
    title="Adhérer aux services",
    journey=flow.ADHESION,
    form=lambda request, data=None, initial=None: AdhesionForm(data, initial=initial),
)


def refusal_text(refused: AdhesionRefused) -> str:
    return message(refused.code, services=", ".join(service.label for service in refused.services))


def add_refusal(form, refused: AdhesionRefused) -> None:
    form.refusal = refused.code  # the page links to the other journey where the refusal points
    form.add_error("siren" if refused.code in SIREN_REFUSALS else "services", refusal_text(refused))


def form_page(request, pages: Pages, form, status=200):
    return render(request, pages.template("form"), pages.context(request, 1, form=form), status=status)


def draft_form(request, pages: Pages):
    """The journey's form with this session's draft ("Étape précédente" comes back with it)."""
    kept = flow.draft(request, pages.journey)
    initial = {"siren": kept.siren, "statut": kept.statut, "services": kept.services} if kept else {}
    return pages.form(request, initial=initial)


def submit(request, pages: Pages, form):
    """Check the form's request and keep it for the recap, or the form again with why."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            flow.start(request, siren=data["siren"], statut=data["statut"], services=data["services"], journey=pages.journey)
        except AdhesionRefused as refused:
            add_refusal(form, refused)
        else:
            return redirect(pages.url("recap"))
    return form_page(request, pages, form, status=400)


@require_http_methods(["GET", "POST"])
@space_required
def form_view(request):
    if request.method == "GET":
        return form_page(request, ADHESION, draft_form(request, ADHESION))
    return submit(request, ADHESION, ADHESION.form(request, data=request.POST))


def recap(request, pages: Pages):
    try:
        plan = flow.recap(request, pages.journey)
    except AdhesionRefused as refused:
        return _back_to_form(request, pages, refused)
    if plan is None:
        return redirect(pages.url())
    error = None
    if request.method == "POST":
        try:
            flow.validate(request, pages.journey)
        except AdhesionRefused as refused:
            return _back_to_form(request, pages, refused)
        except flow.TooManyRequests:
            error = message("adhesion_too_many")
        else:
            return redirect(pages.url("sent"))
    kept = flow.draft(request, pages.journey)
    context = pages.context(
        request,
        2,
        plan=plan,
        statut=dict(AdhesionForm.base_fields["statut"].choices).get(kept.statut, ""),
        families=by_family(plan.services),
        error=error,
        ttl_days=settings.ADHESION_CODE_TTL.days,
    )
    return render(request, pages.template("recap"), context, status=429 if error else 200)


@require_http_methods(["GET", "POST"])
@space_required
def recap_view(request):
    return recap(request, ADHESION)


def _back_to_form(request, pages: Pages, refused: AdhesionRefused):
    """The rules changed since the form (a letter came first): the form again, with the draft and why."""
    kept = flow.draft(request, pages.journey)
    form = pages.form(request, data={"siren": kept.siren, "statut": kept.statut, "services": kept.services, "shown": kept.siren})
    form.is_valid()
    add_refusal(form, refused)
    return form_page(request, pages, form, status=409)


def sent(request, pages: Pages):
    created = flow.sent(request, pages.journey)
    if created is None:
        return redirect(pages.url())
    context = pages.context(request, 3, adhesion=created, address=masked(created.address))
    return render(request, pages.template("sent"), context)


@require_GET
@space_required
def sent_view(request):
    return sent(request, ADHESION)
