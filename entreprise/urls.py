from django.urls import path

from entreprise.views import bank_accounts, company_email

app_name = "entreprise"

# Every view asks habilitations.policy (R-HAB-2) for the dossier of its SIREN: tests walk these
# patterns with another space's ids and expect 404.
urlpatterns = [
    # J17 "Modifier l'adresse électronique de l'entreprise" (R-ENT-1)
    path("espace/entreprise/adresse", company_email.dossiers_view, name="company_email_dossiers"),
    path("espace/dossiers/<slug:siren>/adresse-entreprise", company_email.form_view, name="company_email"),
    path("espace/dossiers/<slug:siren>/adresse-entreprise/envoyee", company_email.sent_view, name="company_email_sent"),
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
