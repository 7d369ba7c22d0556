"""`manage.py deactivate_agent EMAIL`: an agent can no longer sign in; its sessions end now."""

from django.core.management import BaseCommand

from assistance.management.commands._agents import agent_of
from assistance.services import agents
from core import clock


class Command(BaseCommand):
    help = "Désactive un agent de l'assistance et ferme ses sessions."

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse électronique de l'agent")

    def handle(self, *args, email, **options):
        agent = agent_of(email)
        ended = agents.deactivate(agent=agent, now=clock.now())
        plural = "s" if ended > 1 else ""
        self.stdout.write(f"Agent désactivé : {agent.email} ({ended} session{plural} fermée{plural})")
