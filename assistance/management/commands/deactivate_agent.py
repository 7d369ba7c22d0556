"""`manage.py deactivate_agent EMAIL`: an agent can no longer sign in; its sessions end now."""

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from assistance.models import Agent
from assistance.services import agents
from core import clock
from core.identity import normalize_email


class Command(BaseCommand):
    help = "Désactive un agent de l'assistance et ferme ses sessions."

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse électronique de l'agent")

    def handle(self, *args, email, **options):
        try:
            email = normalize_email(email)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        agent = Agent.objects.filter(email=email).first()
        if agent is None:
            raise CommandError(f"aucun agent n'a l'adresse {email}")
        ended = agents.deactivate(agent=agent, now=clock.now())
        plural = "s" if ended > 1 else ""
        self.stdout.write(f"Agent désactivé : {agent.email} ({ended} session{plural} fermée{plural})")
