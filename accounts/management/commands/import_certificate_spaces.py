"""manage.py import_certificate_spaces FILE.csv: operators import legacy certificate spaces (J7)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import clock
from accounts.certificate_import import BadFile, import_csv


class Command(BaseCommand):
    help = "Importe des espaces avec certificat depuis un fichier CSV (UTF-8)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="le fichier CSV")

    def handle(self, *args, file, **options):
        try:
            raw = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"{file} : {error.strerror}") from None
        try:
            report = import_csv(raw, now=clock.now())
        except BadFile as error:
            raise CommandError(f"{file} : {error}") from None
        for line, reason in report.refused:
            self.stderr.write(f"ligne {line} : refusée : {reason}")
        for line, number in report.present:
            self.stdout.write(f"ligne {line} : numéro {number} déjà présent, laissé inchangé")
        self.stdout.write(
            f"{len(report.imported)} importé(s), {len(report.present)} déjà présent(s), {len(report.refused)} refusé(s)"
        )
        if report.refused:
            raise CommandError(f"{len(report.refused)} ligne(s) refusée(s)", returncode=1)
