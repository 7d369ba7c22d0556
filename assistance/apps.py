from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    """The assistance console (R-AST-1): support agents, their own accounts, sessions and actions."""

    name = "assistance"
    verbose_name = "Console d'assistance"

    def ready(self):
        from assistance import events  # noqa: F401 (the labels of its audit kinds)
