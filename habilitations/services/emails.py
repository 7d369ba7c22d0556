"""The emails of sharing (R-SUP-1, R-DEL-1, R-SUB-1), queued in the caller's transaction.

Each names the other party by name (sharing.person), never by email address; the space's
contact email receives it. Templates: habilitations/emails/<kind>.txt.
"""

from mailer import templated

SUBJECTS = {
    # R-SUP-1: the suppléant is told of each change its titulaire makes
    "suppleant_designated": "Espace professionnel - Vous êtes désigné administrateur suppléant",
    "suppleant_on_hold": "Espace professionnel - Votre rôle d'administrateur suppléant est mis en veille",
    "suppleant_reactivated": "Espace professionnel - Votre rôle d'administrateur suppléant est réactivé",
    "suppleant_removed": "Espace professionnel - Vous n'êtes plus administrateur suppléant",
    "space_departed": "Espace professionnel - Fin d'habilitations (espace supprimé)",
    # R-DEL-1
    "delegation_offered": "Espace professionnel - Une délégation vous est proposée",
    "delegation_accepted": "Espace professionnel - Votre délégation a été acceptée",
    "delegation_refused": "Espace professionnel - Votre délégation a été refusée",
    "delegation_revoked": "Espace professionnel - Une délégation a été révoquée",
    "delegation_revoked_grantor": "Espace professionnel - Une délégation que vous avez donnée a été révoquée",
    "delegation_renounced": "Espace professionnel - Le délégataire a renoncé à votre délégation",
    # R-SUB-1: what a substitution ends, told to each holder
    "titulaire_substituted": "Espace professionnel - Vous n'êtes plus titulaire de services d'une entreprise",
    "suppleant_ended": "Espace professionnel - Votre rôle d'administrateur suppléant a pris fin",
    "delegation_ended": "Espace professionnel - Une délégation de services a pris fin",
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
