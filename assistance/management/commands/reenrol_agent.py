"""`manage.py reenrol_agent EMAIL`: a new one-time enrolment link for an agent (R-AST-1).

For a lost phone, a forgotten password or a first link that lapsed: the agent's password,
second factor and recovery codes stop working at once, its sessions end, and the link printed
leads to a new enrolment (a password, then a new TOTP secret and new recovery codes).
"""

from django.core.management import BaseCommand, CommandError

from assistance.management.commands._agents import agent_of
from assistance.services import agents
from core import clock


class Command(BaseCommand):
    help = "Révoque les identifiants d'un agent de l'assistance et affiche un nouveau lien d'enrôlement (24 h)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse électronique de l'agent")

    def handle(self, *args, email, **options):
        agent = agent_of(email)
        try:
            token, ended = agents.reenrol(agent=agent, now=clock.now())
        except agents.AgentInactive:
            raise CommandError(f"l'agent {agent.email} est désactivé : aucun lien ne lui est donné") from None
        plural = "s" if ended > 1 else ""
        self.stdout.write(
            f"Identifiants de {agent.name} <{agent.email}> révoqués ({ended} session{plural} fermée{plural})."
        )
        self.stdout.write(agents.enrolment_link(token))
