"""Import INSEE's SIRENE stock files into the company register (R-SIREN-2, R-ADH-1).

Two files, told apart by their header: StockUniteLegale (one row per legal unit: the name)
and StockEtablissement (one row per establishment: the siège's postal address). The real
stocks have about 28 and 40 million rows: each file is streamed row by row and written in
batches, so memory stays flat whatever its size. Only the columns used are required.
"""

import csv
import io
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from registre.models import Company, Siege

UNITS = "StockUniteLegale"
ESTABLISHMENTS = "StockEtablissement"
UNIT_COLUMNS = (
    "siren",
    "statutDiffusionUniteLegale",
    "etatAdministratifUniteLegale",
    "categorieJuridiqueUniteLegale",
    "denominationUniteLegale",
    "nomUniteLegale",
)
# Siege field <- StockEtablissement column
ADDRESS_COLUMNS = {
    "complement": "complementAdresseEtablissement",
    "number": "numeroVoieEtablissement",
    "repetition": "indiceRepetitionEtablissement",
    "street_type": "typeVoieEtablissement",
    "street_name": "libelleVoieEtablissement",
    "postal_code": "codePostalEtablissement",
    "city": "libelleCommuneEtablissement",
    "special_distribution": "distributionSpecialeEtablissement",
    "cedex_code": "codeCedexEtablissement",
    "cedex_label": "libelleCedexEtablissement",
    "foreign_city": "libelleCommuneEtrangerEtablissement",
    "foreign_country_code": "codePaysEtrangerEtablissement",
    "foreign_country": "libellePaysEtrangerEtablissement",
}
ESTABLISHMENT_COLUMNS = (
    "siren",
    "siret",
    "etablissementSiege",
    "etatAdministratifEtablissement",
    "statutDiffusionEtablissement",
    *ADDRESS_COLUMNS.values(),
)
FORMATS = {UNITS: UNIT_COLUMNS, ESTABLISHMENTS: ESTABLISHMENT_COLUMNS}
MARKERS = {UNITS: "UniteLegale", ESTABLISHMENTS: "Etablissement"}  # how their columns end
NOT_DIFFUSED = "[ND]"
SIREN_RE = re.compile(r"^\d{9}$")
BATCH = 5000
LENGTHS = {name: Siege._meta.get_field(name).max_length for name in ("siret", *ADDRESS_COLUMNS)}


class ImportError_(Exception):
    """The file is not a SIRENE stock file this importer reads (message in French for the operator)."""


@dataclass
class Summary:
    kind: str = UNITS
    read: int = 0
    imported: int = 0  # units written, or siège addresses kept
    skipped: int = 0  # invalid SIREN, or an establishment that is not a siège
    without_address: int = 0  # sièges closed or not diffusible: no address kept


def company_name(row: dict) -> str:
    """Return the name INSEE diffuses for a legal unit, or "" when it may not be shown."""
    if row.get("statutDiffusionUniteLegale", "O") == "P":  # partially diffusible: no name
        return ""
    if row.get("categorieJuridiqueUniteLegale") == "1000":  # natural person
        first = row.get("prenomUsuelUniteLegale") or row.get("prenom1UniteLegale") or ""
        last = row.get("nomUsageUniteLegale") or row.get("nomUniteLegale") or ""
        name = f"{first} {last}".strip()
    else:
        name = (row.get("denominationUniteLegale") or "").strip()
    return "" if NOT_DIFFUSED in name else name[:255]


def detect(header: Iterable[str] | None) -> str:
    """Return UNITS or ESTABLISHMENTS from a CSV header, or raise ImportError_ in French."""
    columns = set(header or ())
    for kind, required in FORMATS.items():
        if columns.issuperset(required):
            return kind
    for kind, marker in MARKERS.items():
        if any(column.endswith(marker) for column in columns):  # that format, with columns missing
            missing = [column for column in FORMATS[kind] if column not in columns]
            raise ImportError_(f"Colonnes manquantes (format {kind} attendu) : " + ", ".join(missing))
    raise ImportError_(
        "Ce fichier n'est ni un fichier StockUniteLegale ni un fichier StockEtablissement de l'INSEE "
        "(en-tête non reconnu : CSV UTF-8 séparé par des virgules attendu)."
    )


@contextmanager
def opened(path: str) -> Iterator[tuple[str, Iterator[dict]]]:
    """Open a CSV, a zip holding one CSV (as INSEE ships it), or stdin ("-"); yield its kind
    (from the header) and its rows, read lazily."""
    with _text(path) as handle:
        reader = csv.DictReader(handle)
        header = [column.strip() for column in reader.fieldnames or ()]
        kind = detect(header)
        reader.fieldnames = header
        yield kind, iter(reader)


@contextmanager
def _text(path: str):
    if path == "-":
        yield sys.stdin
        return
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if name.lower().endswith(".csv")]
            if not names:
                raise ImportError_("L'archive ne contient aucun fichier CSV.")
            with archive.open(names[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
        return
    with Path(path).open(encoding="utf-8", newline="") as handle:
        yield handle


def kind_of(path: str) -> str:
    """Return the kind of the file at path from its header alone (it reads no row)."""
    with opened(path) as (kind, _rows):
        return kind


def import_file(path: str) -> Summary:
    """Import the stock file at path, whichever of the two it is."""
    with opened(path) as (kind, rows):
        return IMPORTERS[kind](rows)


def import_rows(rows: Iterable[dict]) -> Summary:
    """Upsert StockUniteLegale rows into Company in batches; skip rows whose SIREN is not 9 digits."""
    summary, batch = Summary(kind=UNITS), []
    for row in rows:
        summary.read += 1
        siren = (row.get("siren") or "").strip()
        if not SIREN_RE.match(siren):
            summary.skipped += 1
            continue
        batch.append(
            Company(siren=siren, name=company_name(row), active=row.get("etatAdministratifUniteLegale") == "A")
        )
        if len(batch) >= BATCH:
            summary.imported += _flush(batch)
    summary.imported += _flush(batch)
    return summary


def _flush(batch: list[Company]) -> int:
    if not batch:
        return 0
    unique = list({company.siren: company for company in batch}.values())
    Company.objects.bulk_create(
        unique, update_conflicts=True, unique_fields=["siren"], update_fields=["name", "active", "updated_at"]
    )
    batch.clear()
    return len(unique)


def siege(row: dict) -> Siege | None:
    """Return the Siege a StockEtablissement siège row gives, or None when its address may not
    be kept: a closed establishment, or one INSEE does not diffuse (statut "P")."""
    if row.get("etatAdministratifEtablissement") != "A" or row.get("statutDiffusionEtablissement") != "O":
        return None
    values = {field: (row.get(column) or "").strip() for field, column in ADDRESS_COLUMNS.items()}
    values["siret"] = (row.get("siret") or "").strip()
    return Siege(company_id=row["siren"].strip(), **{name: value[: LENGTHS[name]] for name, value in values.items()})


def import_establishments(rows: Iterable[dict]) -> Summary:
    """Keep the postal address of each active, diffusible siège (etablissementSiege "true") in
    batches, and forget the address of a siège now closed or not diffusible; other rows are skipped.

    An address is kept whether or not its SIREN is already in Company: it is read only through
    the company, so it shows once StockUniteLegale has brought the unit (files in any order).
    """
    summary, batch = Summary(kind=ESTABLISHMENTS), {}
    for row in rows:
        summary.read += 1
        siren = (row.get("siren") or "").strip()
        if (row.get("etablissementSiege") or "").strip().lower() != "true" or not SIREN_RE.match(siren):
            summary.skipped += 1
            continue
        batch[siren] = siege(row)  # a later row for the same SIREN wins, as in the unit import
        if len(batch) >= BATCH:
            _flush_sieges(batch, summary)
    _flush_sieges(batch, summary)
    return summary


def _flush_sieges(batch: dict[str, Siege | None], summary: Summary) -> None:
    kept = [found for found in batch.values() if found is not None]
    gone = [siren for siren, found in batch.items() if found is None]
    with transaction.atomic():
        if gone:
            Siege.objects.filter(pk__in=gone).delete()
        if kept:
            Siege.objects.bulk_create(
                kept,
                update_conflicts=True,
                unique_fields=["company"],
                update_fields=["siret", *ADDRESS_COLUMNS, "updated_at"],
            )
    summary.imported += len(kept)
    summary.without_address += len(gone)
    batch.clear()


IMPORTERS = {UNITS: import_rows, ESTABLISHMENTS: import_establishments}
