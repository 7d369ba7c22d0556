"""Steps of J4 "Modifier mes identifiants de connexion" through the Django test client, shared by its tests."""

import json

from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.database import all_database_text
from tests.factories import OTHER_STRONG_PASSWORD, STRONG_PASSWORD

EMAIL = "lila.rosemonde@exemple.fr"
NEW_EMAIL = "lila.nouvelle@exemple.fr"
URL = "/espace/identifiants"
NEW_ANSWER = "Gratin dauphinois de Mamie"


def change(client, current=STRONG_PASSWORD, **fields):
    return client.post(URL, {"current_password": current, **fields})


def password_box(password=OTHER_STRONG_PASSWORD, confirm=None):
    return {"change_password": "on", "new_password": password, "new_password_confirm": confirm or password}


def email_box(email=NEW_EMAIL, confirm=None):
    return {"change_email": "on", "new_email": email, "new_email_confirm": confirm or email}


def trust_box(question="Quel est votre plat préféré ?", answer=NEW_ANSWER):
    return {"change_trust": "on", "trust_question": question, "trust_answer": answer}


def in_database(secret):
    """Whether secret appears anywhere in the database, as typed or JSON-escaped (audit details)."""
    text = all_database_text()
    return secret in text or json.dumps(secret)[1:-1] in text


def mails_to(email, subject_part):
    return [decrypt_body(m) for m in OutboxEmail.objects.filter(to=email) if subject_part in m.subject]
