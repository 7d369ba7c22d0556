"""`manage.py purge_audit`: delete the security events older than AUDIT_RETENTION (the
"Historique de sécurité" shows 90 days, the log keeps a year by default), run with the
reminders (at start, then daily). Data not kept is data not leaked."""

from django.conf import settings
from django.core.management import BaseCommand

from core import clock
from core.models import AuditEvent


class Command(BaseCommand):
    help = "Supprime les événements du journal de sécurité plus anciens que la durée de conservation."

    def handle(self, *args, **options):
        cutoff = clock.now() - settings.AUDIT_RETENTION
        deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
        days = settings.AUDIT_RETENTION.days
        self.stdout.write(f"{deleted} événement(s) de plus de {days} jours supprimé(s) du journal de sécurité")
