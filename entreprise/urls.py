from django.urls import path  # noqa: F401

app_name = "entreprise"

# Every view asks habilitations.policy (R-HAB-2) for the dossier of its SIREN: tests walk these
# patterns with another space's ids and expect 404.
urlpatterns = []
