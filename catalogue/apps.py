from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The online services of guide 001, in their families and order (R-CAT-1)."""

    name = "catalogue"
    verbose_name = "Catalogue des services"
    default_auto_field = "django.db.models.BigAutoField"
