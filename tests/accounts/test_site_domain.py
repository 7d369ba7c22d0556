"""Issue 13 item 8: emails name the real site. SITE_DOMAIN used to default to the first of
ALLOWED_HOSTS ("127.0.0.1" unless set), so a development email named 127.0.0.1 whatever
address was served; now, unset, it is the address being served (core.site.site_domain)."""

import pytest
from django.test import Client, RequestFactory

from core import site
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey

pytestmark = pytest.mark.django_db

EMAIL = "lila.rosemonde@exemple.fr"


def activation_mail_via(host, settings, allowed):
    settings.ALLOWED_HOSTS = allowed
    settings.SITE_DOMAIN = ""
    assert journey.register(Client(HTTP_HOST=host), EMAIL).status_code == 302
    return decrypt_body(OutboxEmail.objects.get(to=EMAIL))


def test_an_email_names_the_address_it_was_asked_from(settings):
    body = activation_mail_via("espace.exemple.fr:8000", settings, ["127.0.0.1", "localhost", "espace.exemple.fr"])
    assert "connectez-vous sur le site espace.exemple.fr:8000" in body
    assert "127.0.0.1" not in body


def test_a_wildcard_never_lets_a_host_header_into_an_email(settings):
    # "Mot de passe oublié" for someone else's address, with a Host of the asker's choosing:
    # the email must not send that person to the asker's site.
    body = activation_mail_via("site-piege.example", settings, ["*", "pro.exemple.fr"])
    assert "site-piege" not in body and "connectez-vous sur le site pro.exemple.fr" in body


def test_site_domain_set_wins(settings):
    settings.SITE_DOMAIN = "impots.gouv.fr"
    settings.ALLOWED_HOSTS = ["espace.exemple.fr"]
    request = RequestFactory().get("/", HTTP_HOST="espace.exemple.fr")
    assert site.CurrentRequestMiddleware(lambda r: site.site_domain())(request) == "impots.gouv.fr"


@pytest.mark.parametrize(
    "allowed, expected",
    [
        (["127.0.0.1", "localhost"], "127.0.0.1"),
        (["*", ".exemple.fr", "autre.fr"], "exemple.fr"),  # ".exemple.fr" names exemple.fr too
        (["*"], "localhost"),
    ],
)
def test_without_a_request_the_first_host_allowed_hosts_names(settings, allowed, expected):
    """The daily reminders are queued by `manage.py periodic`, outside any request."""
    settings.SITE_DOMAIN, settings.ALLOWED_HOSTS = "", allowed
    assert site.site_domain() == expected


def test_a_host_outside_allowed_hosts_is_never_named(settings):
    settings.SITE_DOMAIN, settings.ALLOWED_HOSTS = "", ["pro.exemple.fr"]
    request = RequestFactory().get("/", HTTP_HOST="ailleurs.example")  # past CommonMiddleware's check
    assert site.CurrentRequestMiddleware(lambda r: site.site_domain())(request) == "pro.exemple.fr"
    assert site.site_domain() == "pro.exemple.fr"  # and the request is forgotten once answered
