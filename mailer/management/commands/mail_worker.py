"""Run the outbox worker: `manage.py mail_worker [--once] [--interval SECONDS]`."""

import logging
import signal
import time

from django.conf import settings
from django.core.management import BaseCommand
from django.db import close_old_connections

from mailer.worker import deliver_due

logger = logging.getLogger("mailer")


class Command(BaseCommand):
    help = "Envoie les courriels de la file d'attente (avec nouvelles tentatives)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="envoyer ce qui est dû puis s'arrêter")
        parser.add_argument("--interval", type=float, default=2.0, help="secondes entre deux passages")

    def handle(self, *args, once=False, interval=2.0, **options):
        if not settings.EMAIL_URL and not settings.DEBUG:
            # Outside development the bodies (activation codes) are never logged: the mails
            # wait in the outbox, retried with back-off, until EMAIL_URL is set.
            logger.error("EMAIL_URL absent : les courriels restent en file d'attente jusqu'à sa définition")
        if once:
            self.stdout.write(f"{deliver_due()} courriel(s) traité(s)")
            return
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        logger.info("Distributeur de courriels démarré")
        pause = interval
        while self.running:
            try:
                close_old_connections()
                while deliver_due():
                    pass
                pause = interval
            except Exception:  # the database may be away for a moment: log, wait longer, go on
                logger.exception("Distributeur de courriels : erreur, nouvel essai")
                pause = min(pause * 2, 60)
            time.sleep(pause)
        logger.info("Distributeur de courriels arrêté")

    def _stop(self, *args):
        self.running = False
