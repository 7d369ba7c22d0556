"""The page frame drawn once per process ({% once %}), and redrawn when a brand setting changes.
The tag itself: tests/core/test_once.py."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string

from accounts.forms import LoginForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", [True, False])
def test_the_frame_follows_the_brand_setting_in_one_process(client, settings, state):
    """R-BRAND: the State's identity only when declared, even after the other frame was drawn."""
    settings.ETAT_DEPLOIEMENT = not state
    client.get("/aide")
    settings.ETAT_DEPLOIEMENT = state
    page = client.get("/aide").content.decode()
    assert ("République<br>française" in page) is state
    assert ("neutral.css" in page) is not state


def test_what_belongs_to_the_request_is_drawn_for_each_one(client):
    """The login page remembers its frame and its links, never its token or its captcha."""
    pages = [client.get("/").content.decode() for _ in range(2)]
    for field in ("csrfmiddlewaretoken", "captcha_key"):
        first, second = (re.search(f'name="{field}" value="([^"]+)"', page).group(1) for page in pages)
        assert first != second
    assert all("J'opte pour l'accès avec un mot de passe" in page for page in pages)


def test_a_refused_login_shows_what_was_typed_and_the_next_page_does_not(client):
    """The login fields are drawn for each request: a refused login shows its own values and errors."""
    client.get("/")
    refused = client.post("/", {"email": "pas-une-adresse", "password": "", "captcha_key": "", "captcha": ""})
    page = refused.content.decode()
    assert 'value="pas-une-adresse"' in page and 'aria-invalid="true"' in page
    assert 'value="pas-une-adresse"' not in client.get("/").content.decode()


def test_the_remembered_login_fields_come_from_a_form_of_their_own(rf):
    """Whatever the page's unbound form might hold (an initial value, one day) is not what the
    fields remembered for every visitor show."""
    request = rf.get("/")
    request.user = AnonymousUser()
    form = LoginForm(request=request, initial={"email": "ada@exemple.fr"})
    page = render_to_string("espace/login.html", {"form": form}, request=request)
    assert 'name="email"' in page and 'name="password"' in page
    assert "ada@exemple.fr" not in page
