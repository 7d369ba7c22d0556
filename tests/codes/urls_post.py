"""The site's URLs plus one page of a test app that asks for a code sent by post."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import include, path

from codes.process import CodeProcess
from core import clock

KIND = "adhesion_essai"
ADDRESS = ["Madame Lila ROSEMONDE", "Cabinet Rosemonde", "10 rue de la Paix", "75002 PARIS"]


def ask_by_post(request):
    """What a wave-2 journey does (SPEC §5, adhesion): open a request whose code goes by post."""
    space = request.user
    with transaction.atomic():
        CodeProcess.initiate(
            kind=KIND, email=space.login_email, payload={"city": "LYON"}, now=clock.now(), space=space, address=ADDRESS
        )
    return HttpResponse("Un code d'activation vous a été envoyé par courrier.")


urlpatterns = [
    path("essai/adhesion", ask_by_post),
    path("", include("config.urls")),
]
