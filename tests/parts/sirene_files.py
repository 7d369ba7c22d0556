"""Shared by the register's tests: SIRENE stock files written in INSEE's formats."""

import csv
import zipfile

from registre.management.commands.make_sirene_sample import COLUMNS, ESTABLISHMENT_COLUMNS, establishment, row

__all__ = ["COLUMNS", "ESTABLISHMENT_COLUMNS", "establishment", "row", "write", "zipped"]


def write(path, rows, columns=COLUMNS):
    """Write rows as a UTF-8 CSV with columns for header; return the path as a string."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def zipped(csv_path, name):
    """Zip the CSV at csv_path under name, as INSEE ships its stocks; return the zip's path."""
    archive = f"{csv_path}.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(csv_path, name)
    return archive
