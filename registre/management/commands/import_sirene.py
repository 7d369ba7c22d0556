from django.core.management import BaseCommand, CommandError

from registre.importer import ImportError_, import_rows, open_rows


class Command(BaseCommand):
    help = "Importe le fichier SIRENE StockUniteLegale (CSV, zip INSEE, ou - pour l'entrée standard)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            summary = import_rows(open_rows(path))
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {path}") from None
        except (ImportError_, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        if options["verbosity"]:
            self.stdout.write(
                f"{summary.read} lignes lues, {summary.imported} entreprises importées, {summary.skipped} ignorées."
            )
