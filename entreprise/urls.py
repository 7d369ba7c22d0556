from django.urls import path

from entreprise.views import bank_accounts

app_name = "entreprise"

# Every view asks habilitations.policy (R-HAB-2) for the dossier of its SIREN: tests walk these
# patterns with another space's ids and expect 404.
urlpatterns = [
    # J18 "Gérer les comptes bancaires" (R-BANK-1)
    path("espace/entreprise/comptes-bancaires", bank_accounts.dossiers_view, name="bank_dossiers"),
    path("espace/dossiers/<slug:siren>/comptes-bancaires", bank_accounts.list_view, name="bank_accounts"),
    path("espace/dossiers/<slug:siren>/comptes-bancaires/ajouter", bank_accounts.add_view, name="bank_account_add"),
    path(
        "espace/dossiers/<slug:siren>/comptes-bancaires/ajouter/recapitulatif",
        bank_accounts.recap_view,
        name="bank_account_recap",
    ),
    path(
        "espace/dossiers/<slug:siren>/comptes-bancaires/<int:pk>/mandat.pdf",
        bank_accounts.mandate_view,
        name="bank_mandate",
    ),
    path(
        "espace/dossiers/<slug:siren>/comptes-bancaires/<int:pk>/supprimer",
        bank_accounts.remove_view,
        name="bank_account_remove",
    ),
]
