"""What an agent may do to a space (R-AST-1), and nothing else: each action is an entry here.

An action is a small function over the space (and, for some, one object of that space: a
pending request) plus its declaration: the audit kind it records, its title and what the
page says once done. ``perform`` runs it in one transaction with its audit event, which
names the agent and the reason (the agents' history) and is recorded with ``space=`` the
space, so that its security history shows "Action de l'assistance". Adding one is a
function, a ``register`` call and a button that links to ``assistance:act`` (or
``assistance:act_on``) with its name.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from accounts.models import AccessMode
from entreprise import selectors as bank_selectors
from entreprise.models import BankAccount, MandateStatus
from entreprise.services import bank_accounts
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
    run: Callable[..., object | None]  # (space=, target=, agent=, now=, request=) -> the event's subject or None
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
        subject = action.run(space=space, target=target, agent=agent, now=now, request=request)
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


def lift_delay(*, space, target, agent, now, request):
    """Lift the space's login delay (R-THROTTLE-1), as ``manage.py unblock`` does."""
    if space.access_mode != AccessMode.PASSWORD or not space.login_email:
        raise ActionRefused(message("assistance_no_password"))
    Throttle.default().lift(account=space.login_email)
    return None


def pending_adhesion(space, pk: int) -> AdhesionRequest | None:
    return AdhesionRequest.objects.filter(pk=pk, space=space).select_related("dossier").first()


def resend_letter(*, space, target, agent, now, request):
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


def space_bank_account(space, pk: int) -> BankAccount | None:
    """Return the account pk if space manages its dossier's accounts or added it, or None (404).

    Any state (a valid or removed one is refused with its reason, not hidden); a pk beyond a
    bigint is nobody's (the database would refuse the query: a 500).
    """
    if not 0 < pk < 2**63:
        return None
    return bank_selectors.space_bank_accounts(space).filter(pk=pk).first()


def confirm_bank_mandate(*, space, target, agent, now, request):
    """Record the bank's confirmation of target's SEPA B2B mandate (R-BANK-1), naming the agent."""
    if target.removed_at is not None:
        raise ActionRefused(message("assistance_bank_removed"))
    if target.b2b_status != MandateStatus.PENDING:
        raise ActionRefused(message("assistance_bank_not_pending"))
    try:
        bank_accounts.confirm_mandate(
            rum=target.rum, now=now, request=request, actor_label=f"Assistance : {agent.name}"
        )
    except bank_accounts.BankAccountRefused:  # confirmed or removed meanwhile (another agent, the owner)
        raise ActionRefused(message("assistance_bank_not_pending")) from None
    return target.dossier


register(
    name="confirmer-mandat",
    kind=Event.BANK_MANDATE_CONFIRMED,
    title="Enregistrer la confirmation du mandat B2B par la banque",
    done="La confirmation du mandat par la banque est enregistrée : le compte est « Valide » en interentreprises/B2B.",
    run=confirm_bank_mandate,
    target=space_bank_account,
)
