"""The emails of sharing (R-SUP-1, R-DEL-1, R-SUB-1), queued in the caller's transaction.

Each names the other party by name (sharing.person), never by email address; the space's
contact email receives it. Templates: habilitations/emails/<kind>.txt.
"""

from mailer import templated

SUBJECTS = {
    # R-DEL-1
    "delegation_offered": "Une délégation vous est proposée",
    "delegation_accepted": "Votre délégation a été acceptée",
    "delegation_refused": "Votre délégation a été refusée",
    "delegation_revoked": "Une délégation a été révoquée",
    "delegation_revoked_grantor": "Une délégation que vous avez donnée a été révoquée",
    "delegation_renounced": "Le délégataire a renoncé à votre délégation",
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
