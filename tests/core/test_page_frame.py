"""The page frame drawn once per process ({% once %}), and redrawn when a brand setting changes."""

import re

import pytest
from django.template import engines

from core.templatetags.core_tags import ONCE_VARIANTS

pytestmark = pytest.mark.django_db


def template(source):
    return engines["django"].from_string("{% load core_tags %}" + source)


def test_once_renders_its_fragment_once_per_value_of_its_variables():
    page = template("{% once brand %}{{ brand }}-{{ user }}{% endonce %}|{{ user }}")
    assert page.render({"brand": "a", "user": "ada"}) == "a-ada|ada"
    assert page.render({"brand": "a", "user": "bob"}) == "a-ada|bob"  # remembered
    assert page.render({"brand": "b", "user": "bob"}) == "b-bob|bob"  # another brand: drawn anew


def test_once_stops_remembering_past_a_few_variants():
    page = template("{% once key %}{{ key }}{{ extra }}{% endonce %}")
    for key in range(ONCE_VARIANTS):
        page.render({"key": key, "extra": "x"})
    assert page.render({"key": "new", "extra": "1"}) == "new1"
    assert page.render({"key": "new", "extra": "2"}) == "new2"  # not remembered
    assert page.render({"key": 0, "extra": "2"}) == "0x"  # the first ones still are


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


def test_the_login_fields_drawn_once_empty_still_show_what_was_typed(client):
    """The empty fields are remembered; a refused login shows its own values and errors."""
    client.get("/")
    refused = client.post("/", {"email": "pas-une-adresse", "password": "", "captcha_key": "", "captcha": ""})
    page = refused.content.decode()
    assert 'value="pas-une-adresse"' in page and 'aria-invalid="true"' in page
    assert 'value="pas-une-adresse"' not in client.get("/").content.decode()
