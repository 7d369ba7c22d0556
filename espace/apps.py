import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("espace")


class EspaceConfig(AppConfig):
    name = "espace"
    verbose_name = "Espace professionnel"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        if settings.CAPTCHA_TEST_MODE:
            # R-CAPTCHA-2: a deployment that accepts "PASSED" must never go unnoticed.
            logger.warning(
                "CAPTCHA_TEST_MODE=1 : tous les captchas acceptent le mot PASSED. "
                "À réserver aux tests automatisés, jamais en production."
            )
