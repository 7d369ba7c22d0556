"""The récapitulatif PDF (R-PDF-1) as a download: from inside the space, or from J2's confirmation."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from accounts.services import spaces
from codes import flows as activation
from core import audit, clock
from recapitulatif import render as render_pdf
from accounts.events import Kind as Event


def recap_response(request, space) -> HttpResponse:
    """Return the récapitulatif PDF of space (R-PDF-1) as a download."""
    pdf = render_pdf(spaces.recap_data(space, clock.now()))
    audit.record(request, Event.RECAP_DOWNLOADED, space=space)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recapitulatif-{space.subscriber_number}.pdf"'
    return response


@require_GET
def activation_recap_pdf_view(request):
    """R-PDF-2: only the browser session that activated the space gets it from the confirmation."""
    found = activation.activated_space(request.session)
    if found is None:
        raise Http404
    return recap_response(request, found[0])
