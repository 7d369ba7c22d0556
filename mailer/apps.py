from django.apps import AppConfig


class MailerConfig(AppConfig):
    name = "mailer"
    default_auto_field = "django.db.models.BigAutoField"
