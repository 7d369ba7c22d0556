import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("espace")


class AccountsConfig(AppConfig):
    """Spaces, passwords, certificates and the journeys J1, J3-J8.

    The label stays "espace", the app's name before core and codes were split off: its tables,
    migrations and AUTH_USER_MODEL ("espace.Space") keep their names, so nothing stored is
    renamed.
    """

    name = "accounts"
    label = "espace"
    verbose_name = "Espace professionnel"
    default_auto_field = "django.db.models.BigAutoField"
    kinds_declared = False

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from accounts import events, requests  # noqa: F401 (events: the labels of its audit kinds)

        # The kinds of code requests of J1, J4, J5 and J8, and the email channel, for codes:
        # once, though ready() may run again (Django's docs; a test re-runs it).
        if not self.kinds_declared:
            requests.register()
            self.kinds_declared = True

        # Space.last_login is read by nothing: the audit log keeps each login with its time
        # and address (LOGIN_OK). Not updating it saves one write per login.
        user_logged_in.disconnect(dispatch_uid="update_last_login")
        if settings.CAPTCHA_TEST_MODE:
            # R-CAPTCHA-2: a deployment that accepts "PASSED" must never go unnoticed.
            logger.warning(
                "CAPTCHA_TEST_MODE=1 : tous les captchas acceptent le mot PASSED. "
                "À réserver aux tests automatisés, jamais en production."
            )
