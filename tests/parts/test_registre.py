"""R-SIREN-2: the company register imported from the SIRENE StockUniteLegale format."""

import csv
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from registre.management.commands.make_sirene_sample import COLUMNS, row
from registre.models import Company
from registre.selectors import company_name

pytestmark = pytest.mark.django_db


def write(path, rows, columns=COLUMNS):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_r_siren_2_imports_names_of_legal_and_natural_persons(tmp_path):
    path = write(
        tmp_path / "stock.csv",
        [
            row(siren="732829320", denominationUniteLegale="MARTIN DISTRIBUTION", categorieJuridiqueUniteLegale="5499"),
            row(
                siren="552100554",
                categorieJuridiqueUniteLegale="1000",
                prenom1UniteLegale="Hélène",
                prenomUsuelUniteLegale="Léna",
                nomUniteLegale="GARÇON",
                nomUsageUniteLegale="",
            ),
            row(
                siren="987654324",
                statutDiffusionUniteLegale="P",
                categorieJuridiqueUniteLegale="1000",
                nomUniteLegale="[ND]",
            ),
            row(siren="12345", denominationUniteLegale="TROP COURT"),
        ],
    )
    call_command("import_sirene", path, verbosity=0)
    assert company_name("732829320") == "MARTIN DISTRIBUTION"
    assert company_name("552100554") == "Léna GARÇON"
    assert company_name("987654324") is None  # not diffusible
    assert company_name("111111118") is None  # unknown
    assert Company.objects.count() == 3


def test_r_siren_2_reimport_updates_and_reads_inseee_zip(tmp_path):
    write(tmp_path / "a.csv", [row(siren="732829320", denominationUniteLegale="ANCIEN NOM")])
    call_command("import_sirene", str(tmp_path / "a.csv"), verbosity=0)
    csv_path = write(
        tmp_path / "StockUniteLegale_utf8.csv",
        [row(siren="732829320", denominationUniteLegale="NOUVEAU NOM", etatAdministratifUniteLegale="C")],
    )
    archive = tmp_path / "StockUniteLegale_utf8.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(csv_path, "StockUniteLegale_utf8.csv")
    call_command("import_sirene", str(archive), verbosity=0)
    company = Company.objects.get()
    assert company.name == "NOUVEAU NOM" and company.active is False


def test_r_siren_2_missing_column_is_a_clear_french_error(tmp_path):
    path = write(tmp_path / "bad.csv", [{"siren": "732829320"}], columns=["siren", "autre"])
    with pytest.raises(CommandError, match="Colonnes manquantes"):
        call_command("import_sirene", path, verbosity=0)
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_sirene", str(tmp_path / "absent.csv"), verbosity=0)


def test_demo_sample_is_deterministic_and_in_the_real_format(tmp_path):
    out = tmp_path / "sample.csv"
    call_command("make_sirene_sample", str(out), verbosity=0)
    from pathlib import Path

    shipped = Path(__file__).resolve().parents[2] / "registre" / "data" / "sirene_sample.csv"
    assert out.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert header == COLUMNS
    from stdnum.fr import siren

    with out.open(encoding="utf-8") as handle:
        assert all(siren.is_valid(line["siren"]) for line in csv.DictReader(handle))
