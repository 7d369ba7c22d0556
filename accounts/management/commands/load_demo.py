"""Load the demo data of `make run`: the company register sample (legal units and their
sièges), one password space and one certificate space (J7) with its test CA and client
certificate under var/demo/."""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.core.management import BaseCommand, call_command
from django.db import transaction

from core import clock
from accounts.models import AccessMode, Certificate, Space
from codes.models import PendingRequest
from accounts.services import certificates, pki, spaces

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "registre" / "data" / "sirene_sample.csv"
SAMPLE_ESTABLISHMENTS = ROOT / "registre" / "data" / "sirene_sample_etablissements.csv"
# Generated at load time, never committed (var/ is ignored): a test CA, the demo certificate
# space's client certificate and key, and a certificate for a local nginx.
DEMO_PKI = ROOT / "var" / "demo"
CERT_NUMBER = "20111710000303"  # guide 004's subscriber
CERT_EMAIL = "cabinet.rosemonde@demo.espace-pro.fr"
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
        call_command("import_sirene", str(SAMPLE), str(SAMPLE_ESTABLISHMENTS), verbosity=0)
        with transaction.atomic():
            space = Space.objects.filter(login_email=DEMO_EMAIL).first()
            if space is None:
                payload = {
                    **DEMO_PROFILE,
                    "password_hash": make_password(DEMO_PASSWORD),
                    "trust_answer_hash": make_password("Lili"),
                }
                space = spaces.create_from_request(PendingRequest(email=DEMO_EMAIL), payload, clock.now())
        cert_space = self.certificate_space()
        self.stdout.write(
            "Espace de démonstration :\n"
            f"  adresse électronique : {DEMO_EMAIL}\n"
            f"  mot de passe         : {DEMO_PASSWORD}\n"
            f"  numéro d'abonné      : {space.subscriber_number}\n"
            "  réponse de confiance : Lili\n"
            f"Espace avec certificat de démonstration : numéro d'abonné {cert_space.subscriber_number}\n"
            f"  AC de test           : {DEMO_PKI / 'ca.pem'}\n"
            f"  certificat client    : {DEMO_PKI / 'client.pem'} (clé : {DEMO_PKI / 'client-key.pem'})\n"
            f"  certificat serveur   : {DEMO_PKI / 'server.pem'} (clé : {DEMO_PKI / 'server-key.pem'})\n"
            "  Pour l'essayer : nginx devant l'application (README, section « Certificate spaces »), avec\n"
            f"  CLIENT_CA_FILE={DEMO_PKI / 'ca.pem'} TRUSTED_PROXIES=127.0.0.1 "
            "CSRF_TRUSTED_ORIGINS=https://localhost:8443, puis par exemple :\n"
            f"  curl --cacert {DEMO_PKI / 'ca.pem'} --cert {DEMO_PKI / 'client.pem'} "
            f"--key {DEMO_PKI / 'client-key.pem'} "
            "https://localhost:8443/certificat"
        )

    def certificate_space(self) -> Space:
        """Return the demo certificate space; its PKI is made on the first load (or if lost)."""
        now = clock.now()
        client_pem = DEMO_PKI / "client.pem"
        space = Space.objects.filter(subscriber_number=CERT_NUMBER).first()
        if space is not None and client_pem.exists():
            known = certificates.fingerprint(certificates.load_pem(client_pem.read_bytes()))
            if Certificate.objects.filter(space=space, fingerprint=known).exists():
                return space
        ca = pki.make_ca("AC de test de l'Espace professionnel", now=now)
        valid = {"not_before": now - timedelta(days=1), "not_after": now + timedelta(days=365)}
        client = pki.issue(ca, "Lila ROSEMONDE", **valid)
        server = pki.issue(ca, "localhost", server_name="localhost", **valid)
        DEMO_PKI.mkdir(parents=True, exist_ok=True)
        for name, data in (
            ("ca.pem", ca.cert_pem),
            ("client.pem", client.cert_pem),
            ("client-key.pem", client.key_pem),
            ("server.pem", server.cert_pem),
            ("server-key.pem", server.key_pem),
        ):
            path = DEMO_PKI / name
            path.write_bytes(data)
            if name.endswith("key.pem"):
                path.chmod(0o600)  # private keys: owner only
        with transaction.atomic():
            if space is None:
                space = Space(
                    subscriber_number=CERT_NUMBER,
                    access_mode=AccessMode.CERTIFICATE,
                    contact_email=CERT_EMAIL,
                    trust_answer_hash="",
                    created_at=now,
                    **DEMO_PROFILE,
                )
                space.set_unusable_password()
                space.save()
            space.certificates.all().delete()
            certificates.attach(space, client.cert)
        return space
