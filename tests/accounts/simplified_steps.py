"""Steps of J1 in mode simplifié (R-ADH-4) through the Django test client, shared by its tests."""

from accounts.models import Space
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.companies import MARTIN

EMAIL = "lila.rosemonde@exemple.fr"
COMPANY_EMAIL = "contact@martin-distribution.fr"
COMPANY = {"siren": "732 829 320", "company_email": COMPANY_EMAIL, "company_email_confirm": COMPANY_EMAIL}
SIREN = MARTIN
SUBJECT = "Espace professionnel - Confirmation de l'adresse électronique de l'entreprise"


def to_form(client, email=EMAIL):
    """Start J1 in mode simplifié and pass the credentials: the next page is step 3."""
    journey.start(client, mode="simplifie")
    assert journey.credentials(client, email).status_code == 302


def register(client, email=EMAIL, **company):
    """Go through J1 in mode simplifié up to "Confirmer"; return the confirm response."""
    to_form(client, email)
    assert journey.profile(client, **{**COMPANY, **company}).status_code == 302
    assert client.get("/creation/inscription").status_code == 200
    return client.post("/creation/inscription", {"action": "confirm"})


def create_space(client, email=EMAIL, **company) -> tuple[Space, object]:
    """J1 in mode simplifié, then J2 with the creation code; return the space and J2's last response."""
    assert register(client, email, **company).status_code == 302
    done = journey.activate(client, journey.last_code(email), email)
    return Space.objects.get(login_email=email), done


def mails_to(email):
    """Return the (subject, clear body) of every email queued for email, oldest first."""
    return [(mail.subject, decrypt_body(mail)) for mail in OutboxEmail.objects.filter(to=email).order_by("id")]

