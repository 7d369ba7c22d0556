from django.urls import path

from entreprise.views import company_email

app_name = "entreprise"

# Every view asks habilitations.policy (R-HAB-2) for the dossier of its SIREN: tests walk these
# patterns with another space's ids and expect 404.
urlpatterns = [
    # J17 "Modifier l'adresse électronique de l'entreprise" (R-ENT-1)
    path("espace/entreprise/adresse", company_email.dossiers_view, name="company_email_dossiers"),
    path("espace/dossiers/<slug:siren>/adresse-entreprise", company_email.form_view, name="company_email"),
    path("espace/dossiers/<slug:siren>/adresse-entreprise/envoyee", company_email.sent_view, name="company_email_sent"),
]
