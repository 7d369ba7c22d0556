"""Steps of J1-J3 through the Django test client, shared by the journey tests."""

import re

from antirobot.testing import captcha_post_data
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.factories import STRONG_PASSWORD, TRUST_ANSWER

PROFILE = {
    "civility": "MME",
    "last_name": "Rosemonde",
    "first_name": "Lila",
    "foreign_company": "non",
    "company_identifier": "732 829 320",
    "phone": "01 24 57 88 77",
    "street_number": "10",
    "street_type": "rue",
    "street_name": "de la Paix",
    "address_complement": "",
    "postal_code": "75002",
    "city": "Paris",
    "country": "France",
    "trust_question": "Le nom de votre animal de compagnie ?",
    "trust_answer": TRUST_ANSWER,
}
CODE_RE = re.compile(r"^([A-Za-z0-9]{12})$", re.M)


def start(client, mode="expert"):
    assert client.get("/creation").status_code == 200
    response = client.get(f"/creation/conditions-generales?mode={mode}")  # the choice page's link
    assert response.status_code == 200
    # The mode is applied by the form's POST (carried in a hidden field), never by the GET.
    return client.post("/creation/conditions-generales", {"accept": "on", "mode": mode})


def credentials(client, email="lila.rosemonde@exemple.fr", password=STRONG_PASSWORD, **overrides):
    data = {"email": email, "email_confirm": email, "password": password, "password_confirm": password}
    return client.post("/creation/identifiants", {**data, **overrides})


def profile(client, **overrides):
    return client.post("/creation/formulaire", {**PROFILE, "action": "submit", **overrides})


def register(client, email="lila.rosemonde@exemple.fr", password=STRONG_PASSWORD, **profile_overrides):
    """Go through J1 up to "Confirmer"; return the confirm response."""
    start(client)
    assert credentials(client, email, password).status_code == 302
    assert profile(client, **profile_overrides).status_code == 302
    assert client.get("/creation/inscription").status_code == 200
    return client.post("/creation/inscription", {"action": "confirm"})


def last_code(email):
    """Return the activation code of the last email sent to email (read from the outbox)."""
    mail = OutboxEmail.objects.filter(to=email).order_by("-id").first()
    return CODE_RE.search(decrypt_body(mail)).group(1)


def activate(client, code, email):
    """Do J2: code + captcha, then email; return the last response."""
    page = client.get("/activation")
    first = client.post("/activation", {"code": code, **captcha_post_data(page)})
    if first.status_code != 200 or b"activation/identifiants" not in first.content:
        return first
    return client.post("/activation/identifiants", {"code": code, "email": email, "action": "continue"})


def login(client, email, password=STRONG_PASSWORD):
    page = client.get("/")
    return client.post("/", {"email": email, "password": password, **captcha_post_data(page)})
