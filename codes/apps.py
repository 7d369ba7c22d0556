from django.apps import AppConfig


class CodesConfig(AppConfig):
    """Requests waiting for a code, the one activation entry (J2) and the registry of request kinds.

    The kinds are declared by their own apps (accounts.requests), each in its ready().
    """

    name = "codes"
    verbose_name = "Codes d'activation"
    default_auto_field = "django.db.models.BigAutoField"
    channels_provided = False

    def ready(self):
        from codes import channels, events  # noqa: F401 (events: the labels of its audit kinds)

        if not self.channels_provided:  # once, though ready() may run again (Django's docs)
            channels.provide("post", channels.Post())
            self.channels_provided = True
