"""What the agents' commands share (not a command: Django skips modules named with "_")."""

from django.core.exceptions import ValidationError
from django.core.management import CommandError

from assistance.models import Agent
from core.identity import normalize_email


def agent_of(email: str) -> Agent:
    """Return the agent of the email typed, or stop the command with a French message."""
    try:
        email = normalize_email(email)
    except ValidationError as error:
        raise CommandError(error.messages[0]) from None
    agent = Agent.objects.filter(email=email).first()
    if agent is None:
        raise CommandError(f"aucun agent n'a l'adresse {email}")
    return agent
