from django.apps import AppConfig


class EntrepriseConfig(AppConfig):
    """The company's data a dossier's managers keep (SPEC §5): its email (R-ENT-1), its bank
    accounts with their SEPA B2B mandates (R-BANK-1). Every page asks habilitations.policy."""

    name = "entreprise"
    verbose_name = "Données de l'entreprise"
    default_auto_field = "django.db.models.BigAutoField"
    kinds_declared = False

    def ready(self):
        from entreprise import events, requests  # noqa: F401 (events: the labels of its audit kinds)

        if not self.kinds_declared:  # once, though ready() may run again (Django's docs)
            requests.register()
            self.kinds_declared = True
