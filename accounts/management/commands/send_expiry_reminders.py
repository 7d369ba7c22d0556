"""`manage.py send_expiry_reminders`: R-EXP-4 reminder emails, run once a day (and at start).

Safe when several nodes run it at once: each reminder is claimed by one conditional UPDATE.
"""

from django.core.management import BaseCommand

from accounts.services.expiry import send_reminders


class Command(BaseCommand):
    help = "Envoie les rappels d'expiration du mot de passe (60 et 7 jours avant), une fois chacun."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_reminders()} rappel(s) d'expiration mis en file d'envoi")
