"""Import INSEE's SIRENE "StockUniteLegale" file into the company register (R-SIREN-2).

The real stock has about 28 million rows: the file is streamed row by row and written in
batches, so memory stays flat whatever its size. Only the columns used are required.
"""

import csv
import io
import re
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from registre.models import Company

REQUIRED = (
    "siren",
    "statutDiffusionUniteLegale",
    "etatAdministratifUniteLegale",
    "categorieJuridiqueUniteLegale",
    "denominationUniteLegale",
    "nomUniteLegale",
)
NOT_DIFFUSED = "[ND]"
SIREN_RE = re.compile(r"^\d{9}$")
BATCH = 5000


class ImportError_(Exception):
    """The file is not a StockUniteLegale file (message in French for the operator)."""


@dataclass
class Summary:
    read: int = 0
    imported: int = 0
    skipped: int = 0


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


def open_rows(path: str) -> Iterator[dict]:
    """Yield the rows of a CSV, a zip holding one CSV (as INSEE ships it), or stdin ("-")."""
    if path == "-":
        yield from _rows(sys.stdin)
        return
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [name for name in archive.namelist() if name.lower().endswith(".csv")]
            if not names:
                raise ImportError_("L'archive ne contient aucun fichier CSV.")
            with archive.open(names[0]) as raw:
                yield from _rows(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        return
    with Path(path).open(encoding="utf-8", newline="") as handle:
        yield from _rows(handle)


def _rows(handle) -> Iterator[dict]:
    reader = csv.DictReader(handle)
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_("Colonnes manquantes (format StockUniteLegale attendu) : " + ", ".join(missing))
    yield from reader


def import_rows(rows: Iterable[dict]) -> Summary:
    """Upsert rows into Company in batches; skip rows whose SIREN is not 9 digits."""
    summary, batch = Summary(), []
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
