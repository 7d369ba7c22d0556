"""RGAA 11.10: a refused form's page says "Erreur : " in its title and links each wrong field
from its error summary; a page without error says neither."""

import re

import pytest

from antirobot.testing import captcha_post_data

pytestmark = pytest.mark.django_db


def start_credentials_step(client):
    client.get("/creation/conditions-generales?mode=expert")
    client.post("/creation/conditions-generales", {"accept": "on"})


def test_rgaa_11_10_refused_form_title_and_summary_links(client):
    start_credentials_step(client)
    page = client.get("/creation/identifiants").content.decode()
    assert "<title>Erreur : " not in page and 'id="form-errors"' not in page

    refused = client.post("/creation/identifiants", {"email": "pas-une-adresse"}).content.decode()
    assert re.search(r"<title>Erreur : ", refused)
    summary = refused.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'<a href="#(id_[a-z_]+)">', summary)
    assert links[:2] == ["id_email", "id_email_confirm"]
    for target in links:
        assert f'id="{target}"' in refused  # each link leads to a field of the page


def test_rgaa_11_10_form_wide_refusal_has_no_dangling_link(client):
    """The login's one refusal names no field (it must not say which was wrong)."""
    data = {"email": "personne@exemple.fr", "password": "x" * 20, **captcha_post_data(client.get("/"))}
    page = client.post("/", data).content.decode()
    assert "<title>Erreur : " in page
    summary = page.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "incorrect" in summary and "<a href" not in summary
