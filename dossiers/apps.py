from django.apps import AppConfig


class DossiersConfig(AppConfig):
    """Companies by SIREN that spaces hold habilitations for (SPEC §5 "dossier")."""

    name = "dossiers"
    verbose_name = "Dossiers"
    default_auto_field = "django.db.models.BigAutoField"
