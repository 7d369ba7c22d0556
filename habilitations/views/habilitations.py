"""J11 "Consulter mes services (habilitations)" (R-HAB-1) and its two actions on a pending
request (R-ADH-3): "Annuler la demande", "Renvoyer le courrier".

A request is looked up by habilitations.policy.own_request: another space's is a 404, as if
it did not exist (R-HAB-2). The actions are POST only (CSRF); their outcome is said on the
list after the redirect (Django messages), refusals in French, never a 500.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core import clock
from core.decorators import space_required
from core.identity import format_siren
from core.messages import message
from habilitations import policy, selectors
from habilitations.models import AdhesionRequest
from habilitations.services import adhesion as adhesions
from habilitations.services.adhesion import AdhesionRefused

CONFIRM = "oui"  # the value of the confirmation step's button


LIVE_PAGE, ENDED_PAGE = "page", "terminees"  # the two tables' page numbers, in the query string


def _pages(request, shown, param: str) -> dict:
    """Return the links of a table's pagination: the other table's page number is kept."""

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return "?" + query.urlencode()

    return {
        "shown": shown,
        "previous": link(shown.previous_page_number()) if shown.has_previous() else None,
        "next": link(shown.next_page_number()) if shown.has_next() else None,
    }


@require_GET
@space_required
def list_view(request):
    now = clock.now()
    live = selectors.live_rows(request.user, page=request.GET.get(LIVE_PAGE), now=now)
    ended = selectors.ended_rows(request.user, page=request.GET.get(ENDED_PAGE), now=now)
    context = {
        "space": request.user,
        "live": live,
        "live_pages": _pages(request, live.page, LIVE_PAGE),
        "ended": ended,
        "ended_pages": _pages(request, ended.page, ENDED_PAGE),
        "pending": selectors.pending_adhesions(request.user, now=now),
    }
    return render(request, "habilitations/services/list.html", context)


def _own(request, pk: int) -> AdhesionRequest:
    adhesion = policy.own_request(request.user, pk)
    if adhesion is None:
        raise Http404()
    return adhesion


def _names(adhesion: AdhesionRequest) -> dict:
    return {"siren": format_siren(adhesion.dossier.siren), "name": adhesion.dossier.name}


@require_POST
@space_required
def cancel_view(request, pk: int):
    """The first POST asks for confirmation (the letter's code will stop working); the second cancels."""
    adhesion = _own(request, pk)
    now = clock.now()
    try:
        if request.POST.get("confirm") != CONFIRM:
            shown = selectors.pending_adhesions(request.user, now=now, pk=pk)
            if not shown:  # cancelled, activated or expired meanwhile: the refusal cancel() would give
                raise AdhesionRefused("adhesion_not_pending")
            return render(request, "habilitations/services/cancel.html", {"space": request.user, "adhesion": shown[0]})
        adhesions.cancel(adhesion=adhesion, now=now, request=request)
    except AdhesionRefused as refused:
        messages.error(request, refused.message())
    else:
        cancelled = "substitution_cancelled" if adhesion.purpose == AdhesionRequest.Purpose.SUBSTITUTION else "adhesion_cancelled"
        messages.success(request, message(cancelled, **_names(adhesion)))
    return redirect("habilitations:list")


@require_POST
@space_required
def resend_view(request, pk: int):
    adhesion = _own(request, pk)
    try:
        resent = adhesions.resend(adhesion=adhesion, now=clock.now(), request=request)
    except AdhesionRefused as refused:
        messages.error(request, refused.message())
    else:
        messages.success(request, message("adhesion_resent", until=clock.long_date(resent.expires_at), **_names(adhesion)))
    return redirect("habilitations:list")
