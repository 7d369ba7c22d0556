"""Load the demo data of `make run`: the company register sample and one demo space."""

from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management import BaseCommand, call_command
from django.db import transaction

from espace import clock
from espace.models import PendingRequest, Space
from espace.services import spaces

SAMPLE = Path(__file__).resolve().parents[3] / "registre" / "data" / "sirene_sample.csv"
DEMO_EMAIL = "lila.rosemonde@demo.espace-pro.fr"
DEMO_PASSWORD = "Cerf-volant sous la pluie d'automne 42"
DEMO_PROFILE = {
    "civility": "MME",
    "last_name": "ROSEMONDE",
    "first_name": "Lila",
    "foreign_company": False,
    "company_identifier": "987654324",
    "phone": "+33124578877",
    "street_number": "10",
    "street_type": "rue",
    "street_name": "de la Paix",
    "address_complement": "",
    "postal_code": "75002",
    "city": "PARIS",
    "country": "FRANCE",
    "trust_question": "Le nom de votre animal de compagnie ?",
}


class Command(BaseCommand):
    help = "Charge le registre des entreprises de démonstration et un espace de démonstration."

    def handle(self, *args, **options):
        call_command("import_sirene", str(SAMPLE), verbosity=0)
        with transaction.atomic():
            space = Space.objects.filter(login_email=DEMO_EMAIL).first()
            if space is None:
                payload = {
                    **DEMO_PROFILE,
                    "password_hash": make_password(DEMO_PASSWORD),
                    "trust_answer_hash": make_password("Lili"),
                }
                space = spaces.create_from_request(PendingRequest(email=DEMO_EMAIL), payload, clock.now())
        self.stdout.write(
            "Espace de démonstration :\n"
            f"  adresse électronique : {DEMO_EMAIL}\n"
            f"  mot de passe         : {DEMO_PASSWORD}\n"
            f"  numéro d'abonné      : {space.subscriber_number}\n"
            "  réponse de confiance : Lili"
        )
