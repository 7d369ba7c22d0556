"""`manage.py periodic`: the periodic tasks beside the app (bin/serve starts it).

Every pass (default every 10 minutes): housekeeping (purges). Once per Paris day, and at
start: the daily tasks (R-EXP-4 reminders, the audit log's retention purge).
Each task is safe when several nodes run it at once, so every node may run this command;
deployments with cron run the same commands instead (README "Deploy").
"""

import logging

from django.core.management import BaseCommand, call_command
from django.db import close_old_connections

from core import clock
from core.stopping import StopSignals

logger = logging.getLogger("espace.periodic")
DAILY = ("send_expiry_reminders", "purge_audit")


class Command(BaseCommand):
    help = "Tâches périodiques : purges toutes les 10 minutes, rappels d'expiration une fois par jour."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="une passe (purges et tâches du jour) puis s'arrêter")
        parser.add_argument("--interval", type=float, default=600.0, help="secondes entre deux passes")

    def handle(self, *args, once=False, interval=600.0, **options):
        if once:
            self._pass(last_day=None)
            return
        # SIGTERM (bin/serve's trap) and SIGINT (Ctrl-C) end the loop at once, even in its
        # ten-minute pause (core.stopping says why a plain flag was not enough).
        last_day = None
        with StopSignals() as stop:
            while not stop.requested:
                last_day = self._pass(last_day)
                stop.pause(interval)
                close_old_connections()  # a connection idle for ten minutes may have been dropped

    def _pass(self, last_day):
        """Run housekeeping, and the daily tasks on a new Paris day; return the day they ran for."""
        today = clock.paris_today()  # read each pass: a moved clock (faketime) is followed
        try:
            call_command("housekeeping", stdout=self.stdout)
            if today != last_day:
                for name in DAILY:
                    call_command(name, stdout=self.stdout)
                last_day = today
        except Exception:  # the database may be away for a moment: log and try next pass
            logger.exception("Tâches périodiques : erreur, nouvel essai à la prochaine passe")
        return last_day
