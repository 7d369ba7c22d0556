import csv

from django.core.management import BaseCommand, CommandError

from registre.importer import UNITS, ImportError_, import_file, kind_of


class Command(BaseCommand):
    help = (
        "Importe les fichiers SIRENE de l'INSEE StockUniteLegale (noms) et StockEtablissement "
        "(adresse des sièges), reconnus à leur en-tête, dans n'importe quel ordre "
        "(CSV, zip INSEE, ou - pour l'entrée standard)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="path")

    def handle(self, *args, paths, **options):
        # Every header is checked before any row is written: a wrong file among several stops
        # the run with nothing imported (stdin cannot be read twice: it is checked as it comes).
        for path in paths:
            if path != "-":
                self._guarded(kind_of, path)
        for path in paths:
            summary = self._guarded(import_file, path)
            if options["verbosity"]:
                self.stdout.write(f"{path} ({summary.kind}) : {self._figures(summary)}")

    @staticmethod
    def _guarded(action, path):
        try:
            return action(path)
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {path}") from None
        except IsADirectoryError:
            raise CommandError(f"{path} est un dossier : le chemin d'un fichier est attendu.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} : le fichier n'est pas en UTF-8 (INSEE publie ses stocks en UTF-8).") from None
        except csv.Error as error:
            raise CommandError(f"{path} : CSV illisible ({error}).") from None
        except ImportError_ as error:
            raise CommandError(f"{path} : {error}") from None

    @staticmethod
    def _figures(summary) -> str:
        if summary.kind == UNITS:
            return (
                f"{summary.read} lignes lues, {summary.imported} entreprises importées, "
                f"{summary.skipped} ignorées."
            )
        return (
            f"{summary.read} lignes lues, {summary.imported} adresses de siège importées, "
            f"{summary.without_address} sièges fermés ou non diffusibles (sans adresse), "
            f"{summary.skipped} ignorées (établissements secondaires ou SIREN invalide)."
        )
