from django.apps import AppConfig


class HabilitationsConfig(AppConfig):
    """Who holds which service of which dossier, and the one policy that decides (R-HAB-2).

    Adhesion (R-ADH-1..4) and substitution (R-SUB-1) declare their request kinds to codes at
    start-up: the post channel, 60 days, applied by J2.
    """

    name = "habilitations"
    verbose_name = "Habilitations"
    default_auto_field = "django.db.models.BigAutoField"
    kinds_declared = False

    def ready(self):
        from habilitations import events, requests  # noqa: F401 (events: the labels of its audit kinds)

        if not self.kinds_declared:  # once, though ready() may run again (Django's docs)
            requests.register()
            self.kinds_declared = True
