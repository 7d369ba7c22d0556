"""/dev/courriers/ (config.urls mounts it in DEBUG only, as the development mailbox)."""

from django.urls import path

from codes import letter_views

app_name = "courriers"
urlpatterns = [
    path("", letter_views.letters, name="list"),
    path("<str:reference>.pdf", letter_views.pdf, name="pdf"),
]
