"""J7 view: "Accéder avec mon certificat"."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accounts.flows import certificate as certificate_flow
from accounts.services.certificates import CertificateError


# Fetch metadata of a navigation that another site started (a link or a redirect there).
FOREIGN_SITES = {"cross-site", "same-site"}


@require_GET
def certificate_login_view(request):
    # A GET, as the guide's link (and nginx's 495 redirect here is always a GET): the browser
    # sends the person's own certificate, so a forged link can only log someone into their own
    # space — but that login would flush the session in progress (a half-done wizard). So a
    # navigation that another site started changes nothing: the login page, where the person
    # clicks "Accéder avec mon certificat" themselves. Browsers without Fetch metadata send
    # no header and go on as before.
    if request.headers.get("Sec-Fetch-Site") in FOREIGN_SITES:
        return redirect("espace:login")
    try:
        certificate_flow.log_in(request)
    except CertificateError:
        return render(request, "espace/certificate/refused.html", status=403)
    return redirect("espace:home")
