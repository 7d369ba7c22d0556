from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app stands on: clock, client address, audit, throttle, messages, headers,
    the DSFR base form and page frame. It imports nothing of the product (docs/architecture.md)."""

    name = "core"
    verbose_name = "Socle"
    default_auto_field = "django.db.models.BigAutoField"
