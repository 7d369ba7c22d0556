from django.apps import AppConfig


class RegistreConfig(AppConfig):
    name = "registre"
    default_auto_field = "django.db.models.BigAutoField"
