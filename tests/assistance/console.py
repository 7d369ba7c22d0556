"""Steps of the assistance console (R-AST-1) through the Django test client, shared by its tests."""

import io
import re
from datetime import timedelta

import pyotp
from django.core.management import call_command

from assistance import secrets
from assistance.models import Agent
from core import clock

AGENT_EMAIL = "agent.martin@dgfip.exemple.fr"
AGENT_NAME = "Claire Martin"
AGENT_PASSWORD = "Le phare de Cordouan veille sur la Gironde 1611"
LINK_RE = re.compile(r"/assistance/enrolement/([A-Za-z0-9_-]+)$", re.M)


def create_agent(email=AGENT_EMAIL, name=AGENT_NAME) -> str:
    """Run `manage.py create_agent`; return the token of the link it prints."""
    out = io.StringIO()
    call_command("create_agent", email, name, stdout=out)
    return LINK_RE.search(out.getvalue()).group(1)


def secret_of(email=AGENT_EMAIL) -> str:
    """Return the agent's TOTP secret, read back from the database and decrypted."""
    return secrets.open_totp(Agent.objects.get(email=email).totp_secret)


def code_at(secret: str, moment=None) -> str:
    return pyotp.TOTP(secret).at((moment or clock.now()).timestamp())


def enrol(client, token, password=AGENT_PASSWORD, email=AGENT_EMAIL) -> list[str]:
    """Set the password through the link, confirm the TOTP; return the recovery codes shown."""
    response = client.post(f"/assistance/enrolement/{token}", {"password": password, "password_confirm": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get("/assistance/second-facteur").status_code == 200
    response = client.post("/assistance/second-facteur", {"code": code_at(secret_of(email))})
    assert response.status_code == 200
    return re.findall(r"<code>([0-9A-Z]{5}-[0-9A-Z]{5})</code>", response.content.decode())


def log_in(client, secret, email=AGENT_EMAIL, password=AGENT_PASSWORD, time_machine=None):
    """Password then TOTP code (the next 30 s step, the last one being spent); return the answer."""
    response = client.post("/assistance/connexion", {"email": email, "password": password})
    assert response.status_code == 302 and response.url == "/assistance/connexion/code", response.content[:500]
    if time_machine is not None:
        time_machine.shift(timedelta(seconds=30))
    return client.post("/assistance/connexion/code", {"code": code_at(secret)})


def agent_client(client, time_machine):
    """Create, enrol and log in an agent on client; return its recovery codes."""
    codes = enrol(client, create_agent())
    client.post("/assistance/deconnexion")
    response = log_in(client, secret_of(), time_machine=time_machine)
    assert response.status_code == 302 and response.url == "/assistance/"
    return codes
