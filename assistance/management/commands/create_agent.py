"""`manage.py create_agent EMAIL NAME`: a support agent and its one-time enrolment link (R-AST-1)."""

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from assistance.services import agents
from core import clock
from core.identity import clean_text, normalize_email


class Command(BaseCommand):
    help = "Crée un agent de l'assistance et affiche son lien d'enrôlement (à usage unique, 24 h)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse électronique de l'agent (son identifiant)")
        parser.add_argument("name", help="nom de l'agent, tel que l'historique des actions le montre")

    def handle(self, *args, email, name, **options):
        try:
            email = normalize_email(email)
            name = clean_text(name, max_length=100, required=True)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        try:
            agent, token = agents.create(email=email, name=name, now=clock.now())
        except agents.AgentExists:
            raise CommandError(f"un agent existe déjà avec l'adresse {email}") from None
        self.stdout.write(f"Agent créé : {agent.name} <{agent.email}>")
        self.stdout.write(agents.enrolment_link(token))
