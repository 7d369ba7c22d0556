"""`manage.py unblock EMAIL_OR_NUMBER`: support lifts an account's delay (R-THROTTLE-1)."""

from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError

from core.identity import normalize_email

from accounts.models import AccessMode, Space
from core import audit
from core.throttle import Throttle
from accounts.events import Kind as Event


class Command(BaseCommand):
    help = "Lève le blocage temporaire d'un compte (adresse électronique ou numéro d'abonné)."

    def add_arguments(self, parser):
        parser.add_argument("account", help="adresse électronique de connexion ou numéro d'abonné")

    def handle(self, *args, account, **options):
        value = account.strip()
        space = Space.objects.filter(subscriber_number=value).first() if value.isdigit() else None
        if value.isdigit() and (space is None or space.access_mode != AccessMode.PASSWORD):
            raise CommandError(f"aucun espace avec mot de passe n'a le numéro d'abonné {value}")
        # Counters are kept per email typed, whether or not it has a space: lift that key.
        if space is not None:
            email = space.login_email
        else:
            try:
                email = normalize_email(value)  # the key the login flow counts under
            except ValidationError as error:
                raise CommandError(error.messages[0]) from None
        Throttle.default().lift(account=email)
        audit.record(None, Event.ACCOUNT_UNBLOCKED, space=space, email=email)
        self.stdout.write(f"Blocage levé pour {email}")
