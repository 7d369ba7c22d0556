from django.apps import AppConfig


class CodesConfig(AppConfig):
    """Requests waiting for a code, the one activation entry (J2) and the registry of request kinds."""

    name = "codes"
    verbose_name = "Codes d'activation"
    default_auto_field = "django.db.models.BigAutoField"
