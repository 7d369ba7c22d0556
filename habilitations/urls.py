from django.urls import path

from habilitations.views import adhesion, habilitations

app_name = "habilitations"

# Every view with an id in its path asks habilitations.policy (R-HAB-2): tests/habilitations
# walks these patterns with another space's ids and expects 404.
urlpatterns = [
    path("espace/services/adherer", adhesion.form_view, name="adhesion"),
    path("espace/services/adherer/recapitulatif", adhesion.recap_view, name="adhesion_recap"),
    path("espace/services/adherer/courrier", adhesion.sent_view, name="adhesion_sent"),
    # J11 "Consulter mes services (habilitations)" (R-HAB-1) and its pending requests (R-ADH-3)
    path("espace/services/habilitations", habilitations.list_view, name="list"),
    path("espace/services/demandes/<int:pk>/annuler", habilitations.cancel_view, name="cancel"),
    path("espace/services/demandes/<int:pk>/renvoyer", habilitations.resend_view, name="resend"),
]
