"""J14 views: "Remplacer le titulaire (substitution)" → recap → "courrier envoyé" (R-SUB-1).

J9's pages (habilitations.views.adhesion) over the substitution's journey; the form comes
in two parts on one page: the SIREN and statut, then the services of that company that have
a titulaire the space may replace (only those are offered).
"""

from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import space_required
from habilitations.flows import substitution as flow
from habilitations.forms.substitution import SubstitutionForm, siren_of
from habilitations.services.adhesion import AdhesionRefused
from habilitations.views import adhesion as pages


def substitution_form(request, data=None, initial=None) -> SubstitutionForm:
    """The form with the services of its SIREN, once the page has shown them (or a draft has them)."""
    source = data if data is not None else (initial or {})
    siren = siren_of(source.get("siren"))
    shown = data.get("shown") if data is not None else siren
    if not siren or shown != siren:
        return SubstitutionForm(data, initial=initial)
    return SubstitutionForm(data, initial=initial, offered=flow.offered(request, siren), shown=siren)


SUBSTITUTION = pages.Pages(
    name="substitution",
    title="Remplacer le titulaire (substitution)",
    journey=flow.SUBSTITUTION,
    form=substitution_form,
)


@require_http_methods(["GET", "POST"])
@space_required
def form_view(request):
    if request.method == "GET":
        return pages.form_page(request, SUBSTITUTION, pages.draft_form(request, SUBSTITUTION))
    form = substitution_form(request, data=request.POST)
    if form.shown:
        return pages.submit(request, SUBSTITUTION, form)
    # First part (or another SIREN typed): the SIREN and statut checked, then its services listed.
    if not form.is_valid() and ("siren" in form.errors or "statut" in form.errors):
        return pages.form_page(request, SUBSTITUTION, form, status=400)
    siren, statut = form.cleaned_data["siren"], form.cleaned_data["statut"]
    try:
        offered = flow.services_for(request, siren)
    except AdhesionRefused as refused:
        pages.add_refusal(form, refused)
        return pages.form_page(request, SUBSTITUTION, form, status=400)
    chosen = SubstitutionForm(initial={"siren": siren, "statut": statut}, offered=offered, shown=siren)
    return pages.form_page(request, SUBSTITUTION, chosen)


@require_http_methods(["GET", "POST"])
@space_required
def recap_view(request):
    return pages.recap(request, SUBSTITUTION)


@require_GET
@space_required
def sent_view(request):
    return pages.sent(request, SUBSTITUTION)
