"""Run the letters worker: `manage.py letter_worker [--once] [--interval SECONDS]` (R-ADH-3)."""

import logging

from django.core.management import BaseCommand
from django.db import close_old_connections

from codes.letter_worker import hand_over_due
from core.stopping import StopSignals

logger = logging.getLogger("codes.letters")


class Command(BaseCommand):
    help = "Remet les courriers de la file d'attente à l'imprimeur, dans LETTER_SPOOL_DIR (avec nouvelles tentatives)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="remettre ce qui est dû puis s'arrêter")
        parser.add_argument("--interval", type=float, default=2.0, help="secondes entre deux passages")

    def handle(self, *args, once=False, interval=2.0, **options):
        if once:
            self.stdout.write(f"{hand_over_due()} courrier(s) remis")
            return
        logger.info("Distributeur de courriers démarré")
        pause = interval
        # SIGTERM and SIGINT stop it at once, even in a pause of up to a minute (core.stopping).
        with StopSignals() as stop:
            while not stop.requested:
                try:
                    close_old_connections()
                    while hand_over_due() and not stop.requested:
                        pass
                    pause = interval
                except Exception:  # the database may be away for a moment: log, wait longer, go on
                    logger.exception("Distributeur de courriers : erreur, nouvel essai")
                    pause = min(pause * 2, 60)
                stop.pause(pause)
        logger.info("Distributeur de courriers arrêté")
