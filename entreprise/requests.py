"""The request kinds of entreprise, declared to codes at start-up (apps.ready)."""


def register() -> None:
    """Declare entreprise's kinds (EntrepriseConfig.ready)."""
