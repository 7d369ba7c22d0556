"""Steps the PostgreSQL race tests of habilitations share (not a test module): J2's two steps
from browsers of their own, and the catalogue a transactional test's flush took."""

from importlib import import_module

from django.apps import apps
from django.test import Client

from antirobot.testing import captcha_post_data
from catalogue.models import Service


def load_catalogue() -> None:
    """Load the catalogue again if an earlier transactional test's flush took its rows.

    (Not serialized_rollback: its reload collides with the content types that flush recreates.)
    """
    if not Service.objects.exists():
        import_module("catalogue.migrations.0002_guide_001").load(apps, None)


def past_the_captcha(code: str) -> Client:
    """A browser that passed J2's first step (code + captcha) and is about to submit its email."""
    client = Client()
    first = client.post("/activation", {"code": code, **captcha_post_data(client.get("/activation"))})
    assert first.status_code == 200 and b"activation/identifiants" in first.content
    return client


def submit(client: Client, code: str, email: str) -> int:
    return client.post("/activation/identifiants", {"code": code, "email": email, "action": "continue"}).status_code
