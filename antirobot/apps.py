from django.apps import AppConfig


class AntirobotConfig(AppConfig):
    name = "antirobot"
    default_auto_field = "django.db.models.BigAutoField"
