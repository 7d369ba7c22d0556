"""Steps of J15 "Modifier mes coordonnées" and J16 "Supprimer mon espace", shared by their tests."""

import io

from pypdf import PdfReader

from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.factories import STRONG_PASSWORD

EMAIL = "lila.rosemonde@exemple.fr"
COORDINATES_URL = "/espace/coordonnees"
DELETE_URL = "/espace/supprimer"
CONFIRM_URL = "/espace/supprimer/confirmation"

# What the space of the tests holds (SpaceFactory) as the form shows it, J1 step 3's shape.
CURRENT = {
    "civility": "MME",
    "last_name": "ROSEMONDE",
    "first_name": "Lila",
    "foreign_company": "non",
    "company_identifier": "732829320",
    "phone": "01 24 57 88 77",
    "street_number": "",
    "street_type": "",
    "street_name": "",
    "address_complement": "",
    "postal_code": "",
    "city": "PARIS",
    "country": "FRANCE",
}
NEW = {
    **CURRENT,
    "civility": "M",
    "last_name": "Vasseur-Quentin",
    "first_name": "Aurélien",
    "phone": "06 12 34 56 78",
    "street_number": "17",
    "street_type": "boulevard",
    "street_name": "des Capucines",
    "postal_code": "69002",
    "city": "Lyon",
}


def post_coordinates(client, current=STRONG_PASSWORD, **overrides):
    return client.post(COORDINATES_URL, {**CURRENT, "current_password": current, **overrides})


def mails_to(email, subject_part):
    return [decrypt_body(m) for m in OutboxEmail.objects.filter(to=email) if subject_part in m.subject]


def pdf_text(response) -> str:
    """Return the text of a PDF response, its wrapped lines joined (pypdf)."""
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
