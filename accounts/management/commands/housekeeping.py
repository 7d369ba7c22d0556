"""Periodic tasks: `manage.py housekeeping`, run every few minutes beside the app (bin/serve).

Purges what must not grow without bound or outlive its use: used and expired requests
(their payloads held hashes and personal data), expired captchas, expired sessions, and
rate-limit counters whose window is over. Each purge is idempotent; running the command
on several nodes at once is harmless.
"""

from django.contrib.sessions.models import Session
from django.core.management import BaseCommand

from antirobot import services as captchas
from core import clock
from codes import requests
from core import throttle


class Command(BaseCommand):
    help = "Purge les demandes échues, captchas, sessions et compteurs expirés."

    def handle(self, *args, **options):
        now = clock.now()
        counts = {
            "demandes": requests.purge(now),
            "captchas": captchas.purge_expired(),
            "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
            "compteurs": throttle.purge_database_counters(now),
        }
        self.stdout.write(", ".join(f"{name} : {count}" for name, count in counts.items()))
