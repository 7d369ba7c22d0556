"""The emails of sharing (R-SUP-1, R-DEL-1, R-SUB-1), queued in the caller's transaction.

Each names the other party by name (sharing.person), never by email address; the space's
contact email receives it. Templates: habilitations/emails/<kind>.txt.
"""

from mailer import templated

SUBJECTS = {
    # R-SUB-1: what a substitution ends, told to each holder
    "titulaire_substituted": "Vous n'êtes plus titulaire de services d'une entreprise",
    "suppleant_ended": "Votre rôle d'administrateur suppléant a pris fin",
    "delegation_ended": "Une délégation de services a pris fin",
}


def send(kind: str, *, space, **context) -> None:
    """Queue the email kind for space (at its contact email); nothing for a deleted space."""
    if space is None or not space.is_active:
        return
    templated.send(
        f"habilitations/emails/{kind}.txt",
        to=space.contact_email,
        subject=SUBJECTS[kind],
        space=space,
        **context,
    )
