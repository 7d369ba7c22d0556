"""The request kinds of habilitations, declared to codes at start-up (apps.ready).

An adhesion's code, and a substitution's (R-SUB-1: the same request for services that have
a titulaire), goes by post to the company's siège (R-ADH-2), lives 60 days, claims no
email (the letter goes to the company, J2 matches it with the requester's login email) and
several may run at once for one space (one per dossier): none replaces another.
"""

from codes import registry
from habilitations.kinds import Kind
from habilitations.services import adhesion, substitution


def adhesion_done_context(space, at) -> dict:
    """The context of "Vos services ont été activés": what was granted, what another got first."""
    return {"activation": adhesion.last_activation(space, at)}


def substitution_done_context(space, at) -> dict:
    """The context of J14's confirmation: what was substituted, held already, or not substituted."""
    return {"activation": substitution.last_substitution(space, at)}


def register() -> None:
    """Declare habilitations' kinds (HabilitationsConfig.ready): each kind's letter is
    habilitations/letters/<kind>.html, its confirmation habilitations/<kind>/activated.html."""
    for kind, apply, done_context in (
        (Kind.ADHESION, adhesion.activate, adhesion_done_context),
        (Kind.SUBSTITUTION, substitution.activate, substitution_done_context),
    ):
        registry.register(
            name=kind,
            label=kind.label,
            life="ADHESION_CODE_TTL",
            channel="post",
            holds_email=False,
            available=registry.always_available,
            message=f"habilitations/letters/{kind.value}.html",
            apply=apply,
            done_template=f"habilitations/{kind.value}/activated.html",
            done_context=done_context,
        )
