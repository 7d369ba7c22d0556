from django.urls import path

app_name = "habilitations"

# Every view with an id in its path asks habilitations.policy (R-HAB-2): tests/habilitations
# walks these patterns with another space's ids and expects 404.
urlpatterns = []
