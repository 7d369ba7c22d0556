from django.urls import path

from habilitations.views import habilitations

app_name = "habilitations"

# Every view with an id in its path asks habilitations.policy (R-HAB-2): tests/habilitations
# walks these patterns with another space's ids and expects 404.
urlpatterns = [
    # J11 "Consulter mes services (habilitations)" (R-HAB-1) and its pending requests (R-ADH-3)
    path("espace/services/habilitations", habilitations.list_view, name="list"),
    path("espace/services/demandes/<int:pk>/annuler", habilitations.cancel_view, name="cancel"),
    path("espace/services/demandes/<int:pk>/renvoyer", habilitations.resend_view, name="resend"),
]
