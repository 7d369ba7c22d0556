"""The URLs as mounted with DEBUG=1 (config.urls decides at import time)."""

from django.urls import include, path

from config.urls import urlpatterns as product

urlpatterns = [
    *product,
    path("dev/courriels/", include("mailer.urls")),
    path("dev/courriers/", include("codes.letter_urls")),
]
