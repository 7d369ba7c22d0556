"""J17 "Modifier l'adresse électronique de l'entreprise" (R-ENT-1): the chooser, the form, the sent page.

Every page of a dossier asks the policy (dossier_view, then may_manage_company_email): a
délégataire, a suppléant on hold or another space gets the 404 of a dossier that does not
exist (R-HAB-2).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core import clock
from core.decorators import space_required
from core.messages import message
from entreprise.forms.company_email import CompanyEmailForm
from entreprise.services import company_email
from habilitations import policy
from habilitations.decorators import dossier_view


def _managed(access):
    if not policy.may_manage_company_email(access):
        raise Http404()
    return access.dossier


@require_GET
@space_required
def dossiers_view(request):
    """"Modifier l'adresse électronique de l'entreprise" from "Gérer mon espace": which dossier."""
    dossiers = list(policy.company_email_dossiers(request.user))
    if len(dossiers) == 1:
        return redirect("entreprise:company_email", siren=dossiers[0].siren)
    return render(request, "entreprise/company_email/dossiers.html", {"space": request.user, "dossiers": dossiers})


@require_http_methods(["GET", "POST"])
@dossier_view
def form_view(request, access):
    dossier = _managed(access)
    form, status = CompanyEmailForm(), 200
    if request.method == "POST":
        form = CompanyEmailForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                company_email.request_change(
                    request=request, space=request.user, access=access, email=form.cleaned_data["email"],
                    now=clock.now(),
                )
            except company_email.ChangeRefused as refused:
                form.add_error("email", message(refused.code))
                status = 429 if refused.code == "company_email_throttled" else 400
            else:
                return redirect("entreprise:company_email_sent", siren=dossier.siren)
    context = {
        "space": request.user,
        "dossier": dossier,
        "form": form,
        "pending": company_email.pending_change(request.user, dossier, clock.now()),
    }
    return render(request, "entreprise/company_email/form.html", context, status=status)


@require_GET
@dossier_view
def sent_view(request, access):
    dossier = _managed(access)
    pending = company_email.pending_change(request.user, dossier, clock.now())
    if pending is None:  # nothing sent, or its code used or expired: the form again
        return redirect("entreprise:company_email", siren=dossier.siren)
    context = {
        "space": request.user,
        "dossier": dossier,
        "pending": pending,
        "company_email": pending.payload.get("company_email", ""),
        "ttl_hours": int(settings.DOSSIER_EMAIL_CODE_TTL.total_seconds() // 3600),
    }
    return render(request, "entreprise/company_email/sent.html", context)
