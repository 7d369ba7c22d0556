"""The request kinds of habilitations, declared to codes at start-up (apps.ready).

An adhesion's code goes by post to the company's siège (R-ADH-2), lives 60 days, claims no
email (the letter goes to the company, J2 matches it with the requester's login email) and
several may run at once for one space (one per dossier): none replaces another.
"""

from codes import registry
from habilitations.kinds import Kind
from habilitations.services import adhesion


def adhesion_done_context(space, at) -> dict:
    """The context of "Vos services ont été activés": what was granted, what another got first."""
    return {"activation": adhesion.last_activation(space, at)}


def register() -> None:
    """Declare habilitations' kinds (HabilitationsConfig.ready)."""
    registry.register(
        name=Kind.ADHESION,
        label=Kind.ADHESION.label,
        life="ADHESION_CODE_TTL",
        channel="post",
        holds_email=False,
        available=registry.always_available,
        message="habilitations/letters/adhesion.html",
        apply=adhesion.activate,
        done_template="habilitations/adhesion/activated.html",
        done_context=adhesion_done_context,
    )
