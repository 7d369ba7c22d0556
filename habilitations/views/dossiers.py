"""R-HOME-1 "Voir tous mes dossiers" and "Choisir ce dossier"; the dossier page; R-HOME-2 the
service page of a dossier."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from catalogue import selectors as catalogue
from core.decorators import space_required
from habilitations import policy, selectors
from habilitations.decorators import dossier_view
from habilitations.flows import dossiers as flow
from habilitations.forms.dossiers import DossierSearchForm


@require_GET
@space_required
def list_view(request):
    """The dossiers the space holds, sorted by name, searched by SIREN or name (?q=), by page."""
    form = DossierSearchForm(request.GET)
    query = form.query()
    page = None if query is None else selectors.dossiers_page(request.user, query=query, page=request.GET.get("page"))
    context = {"space": request.user, "form": form, "query": query, "page": page, "current": flow.current_siren(request)}
    # A refused search (too long, control characters) is a refused form, as everywhere: 400.
    return render(request, "habilitations/dossiers/list.html", context, status=200 if page is not None else 400)


@require_POST
@space_required
def choose_view(request):
    """"Choisir ce dossier" (the button posts its SIREN): it becomes the session's current
    dossier, back to the home; a dossier the space holds nothing on now is not found (R-HAB-2)."""
    if flow.choose(request, request.POST.get("siren", "")) is None:
        raise Http404()
    return redirect("espace:home")


@require_GET
@dossier_view
def service_view(request, access, code: str):
    """A service held on the dossier: the habilitation, what its role allows, "Accéder au service"."""
    row = selectors.habilitation(access, code)
    if row is None:  # an unknown code, or a service the space does not hold on this dossier
        raise Http404()
    context = {
        "space": request.user,
        "access": access,
        "dossier": access.dossier,
        "service": row.service,
        "habilitation": row,
        "granted_by": selectors.granted_by(row),
        "actions": selectors.role_actions(row.role, row.service),
        "application_url": catalogue.application_url(row.service),
    }
    return render(request, "habilitations/dossiers/service.html", context)


@require_GET
@dossier_view
def dossier_view_page(request, access):
    """The dossier page: the company, the services held on it with their role, and the
    management entries the policy allows this space (R-SUP-1, R-DEL-1, R-ENT-1, R-BANK-1)."""
    context = {
        "space": request.user,
        "access": access,
        "dossier": access.dossier,
        "services": selectors.held_roles(access),
        "entries": selectors.dossier_entries(access),
        # R-ENT-1: the company's contacts (its managers) see its email; a délégataire does not.
        "shows_company_email": policy.may_manage_company_email(access),
    }
    return render(request, "habilitations/dossiers/dossier.html", context)
