from django.urls import path

from habilitations.views import adhesion, dossiers, habilitations, substitution

app_name = "habilitations"

# Every view with an id (in its path or its form) asks habilitations.policy (R-HAB-2):
# tests/habilitations walks these patterns with another space's ids and expects 404.
# SIRENs and service codes are slugs in paths: a byte no SIREN or code holds (NUL, "%") never
# reaches a query.
urlpatterns = [
    # J9 "Adhérer aux services"
    path("espace/services/adherer", adhesion.form_view, name="adhesion"),
    path("espace/services/adherer/recapitulatif", adhesion.recap_view, name="adhesion_recap"),
    path("espace/services/adherer/courrier", adhesion.sent_view, name="adhesion_sent"),
    # J11 "Consulter mes services (habilitations)" (R-HAB-1) and its pending requests (R-ADH-3)
    path("espace/services/habilitations", habilitations.list_view, name="list"),
    path("espace/services/demandes/<int:pk>/annuler", habilitations.cancel_view, name="cancel"),
    path("espace/services/demandes/<int:pk>/renvoyer", habilitations.resend_view, name="resend"),
    # R-HOME-1 "Voir tous mes dossiers", "Choisir ce dossier"
    path("espace/dossiers", dossiers.list_view, name="dossiers"),
    path("espace/dossiers/choisir", dossiers.choose_view, name="choose_dossier"),  # POST siren
    # R-HOME-2 the page of a service held on a dossier
    path("espace/dossiers/<slug:siren>/services/<slug:code>", dossiers.service_view, name="service"),
    # J14 "Remplacer le titulaire (substitution)" (R-SUB-1): J9's pages for services that have a titulaire
    path("espace/services/substitution", substitution.form_view, name="substitution"),
    path("espace/services/substitution/recapitulatif", substitution.recap_view, name="substitution_recap"),
    path("espace/services/substitution/courrier", substitution.sent_view, name="substitution_sent"),
]
