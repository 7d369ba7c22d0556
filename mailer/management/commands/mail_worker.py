"""Run the outbox worker: `manage.py mail_worker [--once] [--interval SECONDS]`."""

import logging

from django.conf import settings
from django.core.management import BaseCommand
from django.db import close_old_connections

from core.stopping import StopSignals
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
        logger.info("Distributeur de courriels démarré")
        pause = interval
        # SIGTERM and SIGINT stop it at once, even in a pause of up to a minute (core.stopping).
        with StopSignals() as stop:
            while not stop.requested:
                try:
                    close_old_connections()
                    while deliver_due():
                        pass
                    pause = interval
                except Exception:  # the database may be away for a moment: log, wait longer, go on
                    logger.exception("Distributeur de courriels : erreur, nouvel essai")
                    pause = min(pause * 2, 60)
                stop.pause(pause)
        logger.info("Distributeur de courriels arrêté")
