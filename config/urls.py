from django.conf import settings
from django.urls import include, path

from espace.views.health import health

urlpatterns = [
    path("", include("espace.urls")),
    path("captcha/", include("antirobot.urls")),
    path("sante", health, name="health"),
]
if settings.DEBUG:
    # R-EMAIL-3: the development mailbox exists only in DEBUG, never in production.
    urlpatterns.append(path("dev/courriels/", include("mailer.urls")))

handler400 = "espace.views.errors.bad_request"
handler403 = "espace.views.errors.forbidden"
handler404 = "espace.views.errors.not_found"
handler500 = "espace.views.errors.server_error"
