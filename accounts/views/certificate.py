"""J7 view: "Accéder avec mon certificat"."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.flows import certificate as certificate_flow
from accounts.services.certificates import CertificateError


@require_GET
def certificate_login_view(request):
    # A GET, as the guide's link: the browser sends the person's own certificate, so a forged
    # cross-site link can only log someone into their own space.
    try:
        certificate_flow.log_in(request)
    except CertificateError:
        return render(request, "espace/certificate/refused.html", status=403)
    return redirect("espace:home")
