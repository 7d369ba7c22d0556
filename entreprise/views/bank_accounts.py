"""J18 "Gérer les comptes bancaires" (R-BANK-1): the dossiers, the list, add → recap → "Confirmer",
"Éditer le mandat", "Supprimer le compte".

Every page of a dossier goes through ``dossier_view`` and then asks the policy (through
entreprise.selectors, which asks ``may_manage_bank_accounts``): a délégataire, a suppléant
on hold, another space get a 404, as if nothing were there (R-HAB-2).
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import space_required
from core.identity import format_siren
from core.messages import message
from entreprise import selectors, sepa
from entreprise.flows import bank_accounts as flow
from entreprise.forms.bank_accounts import BankAccountForm
from entreprise.services.bank_accounts import BankAccountRefused, NewAccount
from habilitations import policy
from habilitations.decorators import dossier_view

STEPPER = ["Saisie du compte", "Récapitulatif"]


def _managed(access):
    """Return access if its space manages the dossier's bank accounts, else answer 404."""
    if not policy.may_manage_bank_accounts(access):
        raise Http404()
    return access


def _account(access, pk):
    account = selectors.bank_account(access, pk)
    if account is None:
        raise Http404()
    return account


def _context(request, access, **extra) -> dict:
    return {"space": request.user, "dossier": access.dossier, "siren": format_siren(access.dossier.siren), **extra}


@require_GET
@space_required
def dossiers_view(request):
    """The dossiers whose accounts the space manages; with one only, its list at once."""
    dossiers = selectors.bank_dossiers(request.user)
    if len(dossiers) == 1:
        return redirect("entreprise:bank_accounts", siren=dossiers[0].siren)
    rows = [{"dossier": dossier, "siren": format_siren(dossier.siren)} for dossier in dossiers]
    return render(request, "entreprise/bank/dossiers.html", {"space": request.user, "rows": rows})


@require_GET
@dossier_view
def list_view(request, access):
    _managed(access)
    context = _context(request, access, accounts=selectors.bank_accounts(access))
    return render(request, "entreprise/bank/list.html", context)


@require_http_methods(["GET", "POST"])
@dossier_view
def add_view(request, access):
    _managed(access)
    if request.method == "GET":
        kept = flow.draft(request, access)  # "Étape précédente" comes back with the draft
        return _form_page(request, access, BankAccountForm(initial=_initial(kept)))
    form = BankAccountForm(request.POST)
    if not form.is_valid():
        return _form_page(request, access, form, status=400)
    data = form.cleaned_data
    account = NewAccount(iban=data["iban"], bic=data["bic"], holder=data["holder"], address=form.address())
    flow.start(request, access, account)
    return redirect("entreprise:bank_account_recap", siren=access.dossier.siren)


def _initial(kept: NewAccount | None) -> dict:
    """Return the form's values from the draft: its address is the form's 3 or 4 lines."""
    if kept is None:
        return {}
    lines = kept.address
    return {
        "iban": sepa.grouped(kept.iban), "bic": kept.bic, "holder": kept.holder,
        "street": lines[0], "complement": lines[1] if len(lines) == 4 else "", "city": lines[-2], "country": lines[-1],
    }


def _form_page(request, access, form, status=200):
    context = _context(request, access, form=form, steps=STEPPER, step=1)
    return render(request, "entreprise/bank/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@dossier_view
def recap_view(request, access):
    _managed(access)
    kept = flow.draft(request, access)
    if kept is None:
        return redirect("entreprise:bank_account_add", siren=access.dossier.siren)
    error, status = None, 200
    if request.method == "POST":
        try:
            flow.confirm(request, access)
        except BankAccountRefused as refused:
            error, status = message(refused.code), 409
        else:
            messages.success(request, message("bank_account_added"))
            return redirect("entreprise:bank_accounts", siren=access.dossier.siren)
    context = _context(
        request, access, account=kept, iban=sepa.grouped(kept.iban), steps=STEPPER, step=2, error=error,
        bic_needed=sepa.bic_required(kept.iban),
    )
    return render(request, "entreprise/bank/recap.html", context, status=status)


@require_GET
@dossier_view
def mandate_view(request, access, pk: int):
    account = _account(access, pk)
    response = HttpResponse(flow.mandate(request, account), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mandat-sepa-b2b-{account.rum}.pdf"'
    response["Cache-Control"] = "no-store"  # the whole IBAN: no cache keeps it
    return response


@require_http_methods(["GET", "POST"])
@dossier_view
def remove_view(request, access, pk: int):
    account = _account(access, pk)
    if request.method == "GET":
        return render(request, "entreprise/bank/remove.html", _context(request, access, account=account))
    removed = flow.remove(request, account)
    messages.success(request, message("bank_account_removed", iban=removed.iban_masked))
    return redirect("entreprise:bank_accounts", siren=access.dossier.siren)
