from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from core.views.health import health

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("codes.urls")),
    path("", include("habilitations.urls")),
    path("", include("entreprise.urls")),
    path("captcha/", include("antirobot.urls")),
    path("assistance/", include("assistance.urls")),
    path("sante", health, name="health"),
    # Browsers and other clients ask /favicon.ico without reading the page's <link rel="icon">.
    path("favicon.ico", RedirectView.as_view(url=static("dsfr/dist/favicon/favicon.ico"), permanent=True)),
]
if settings.DEBUG:
    # R-EMAIL-3, R-ADH-3: the development mailbox and letters exist only in DEBUG, never in production.
    urlpatterns.append(path("dev/courriels/", include("mailer.urls")))
    urlpatterns.append(path("dev/courriers/", include("codes.letter_urls")))

handler400 = "core.views.errors.bad_request"
handler403 = "core.views.errors.forbidden"
handler404 = "core.views.errors.not_found"
handler500 = "core.views.errors.server_error"
