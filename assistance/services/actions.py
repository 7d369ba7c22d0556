"""What an agent may do to a space (R-AST-1), and nothing else: each action is an entry here.

An action is a small function over the space (and, for some, one object of that space: a
pending request) plus its declaration: the audit kind it records, its title and what the
page says once done. ``perform`` runs it in one transaction with its audit event, which
names the agent and the reason (the agents' history) and is recorded with ``space=`` the
space, so that its security history shows "Action de l'assistance". Adding one (a bank's
B2B mandate confirmation, R-BANK-1) is a function, a ``register`` call and a button that
links to ``assistance:act`` with its name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from accounts.models import AccessMode
from assistance.events import Kind as Event
from core import audit
from core.messages import message
from core.throttle import Throttle
from habilitations.models import AdhesionRequest
from habilitations.services import adhesion


class ActionRefused(Exception):
    """The action cannot be done now; ``text`` says why, in French."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


@dataclass(frozen=True, kw_only=True)
class Action:
    name: str  # in the URL: /assistance/espaces/<number>/actions/<name>[/<target>]
    kind: str  # the audit kind (assistance.events)
    title: str  # the button and the confirmation page
    done: str  # the message once done
    run: Callable[..., object | None]  # (space=, target=, now=, request=) -> the event's subject or None
    # (space, pk) -> the object acted on, among the space's own only; None when the action takes none
    target: Callable[[object, int], object | None] | None = None


ACTIONS: dict[str, Action] = {}


def register(**declaration) -> Action:
    action = Action(**declaration)
    ACTIONS[action.name] = action
    return action


@dataclass(frozen=True)
class Performed:
    action: Action
    space: object


def perform(*, action: Action, agent, space, target=None, reason: str, now: datetime, request=None) -> Performed:
    """Run action on space (and target) and record it, naming the agent and the reason."""
    with transaction.atomic():
        subject = action.run(space=space, target=target, now=now, request=request)
        audit.record(
            request,
            action.kind,
            space=space,
            email=space.login_email or "",
            subject=subject,
            action=action.name,
            agent=agent.email,
            agent_name=agent.name,
            reason=reason,
        )
    return Performed(action, space)


# --- The actions --------------------------------------------------------------------------------


def lift_delay(*, space, target, now, request):
    """Lift the space's login delay (R-THROTTLE-1), as ``manage.py unblock`` does."""
    if space.access_mode != AccessMode.PASSWORD or not space.login_email:
        raise ActionRefused(message("assistance_no_password"))
    Throttle.default().lift(account=space.login_email)
    return None


def pending_adhesion(space, pk: int) -> AdhesionRequest | None:
    return AdhesionRequest.objects.filter(pk=pk, space=space).select_related("dossier").first()


def resend_letter(*, space, target, now, request):
    """Send a pending request's letter again, once, with the rules the user has (R-ADH-3)."""
    try:
        adhesion.resend(adhesion=target, now=now, request=request)
    except adhesion.AdhesionRefused as refused:
        raise ActionRefused(refused.message()) from None
    return target.dossier


register(
    name="lever-delai",
    kind=Event.DELAY_LIFTED,
    title="Lever le délai de connexion",
    done="Le délai de connexion de cet espace est levé : l'usager peut se connecter.",
    run=lift_delay,
)
register(
    name="renvoyer-courrier",
    kind=Event.LETTER_RESENT,
    title="Renvoyer le courrier d'activation",
    done="Un nouveau courrier d'activation a été envoyé au siège ; l'ancien code ne fonctionne plus.",
    run=resend_letter,
    target=pending_adhesion,
)
