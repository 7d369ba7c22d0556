"""R-SIREN-2: the company register imported from the SIRENE StockUniteLegale format."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from registre.management.commands.make_sirene_sample import ESTABLISHMENT_COLUMNS
from registre.models import Company
from registre.selectors import company_name
from tests.parts.sirene_files import COLUMNS, row, write, zipped

pytestmark = pytest.mark.django_db


DATA = Path(__file__).resolve().parents[2] / "registre" / "data"


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
    call_command("import_sirene", zipped(csv_path, "StockUniteLegale_utf8.csv"), verbosity=0)
    company = Company.objects.get()
    assert company.name == "NOUVEAU NOM" and company.active is False


def test_r_siren_2_missing_column_is_a_clear_french_error(tmp_path):
    path = write(tmp_path / "bad.csv", [{"siren": "732829320"}], columns=["siren", "nomUniteLegale"])
    with pytest.raises(CommandError, match=r"Colonnes manquantes \(format StockUniteLegale attendu\) : statut"):
        call_command("import_sirene", path, verbosity=0)
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_sirene", str(tmp_path / "absent.csv"), verbosity=0)
    assert not Company.objects.exists()


def test_demo_sample_is_deterministic_and_in_the_real_format(tmp_path):
    out = tmp_path / "sample.csv"
    call_command("make_sirene_sample", str(out), stdout=io.StringIO())
    sites = tmp_path / "sample_etablissements.csv"  # written beside the units by default
    assert out.read_text(encoding="utf-8") == (DATA / "sirene_sample.csv").read_text(encoding="utf-8")
    assert sites.read_text(encoding="utf-8") == (DATA / "sirene_sample_etablissements.csv").read_text(encoding="utf-8")
    for path, columns in ((out, COLUMNS), (sites, ESTABLISHMENT_COLUMNS)):
        assert next(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))) == columns
    from stdnum.fr import siren, siret

    with out.open(encoding="utf-8") as handle:
        units = {line["siren"] for line in csv.DictReader(handle)}
    assert all(siren.is_valid(number) for number in units)
    with sites.open(encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert {line["siren"] for line in lines} < units  # one unit has no establishment
    assert all(line["siret"] == line["siren"] + line["nic"] and siret.is_valid(line["siret"]) for line in lines)
    assert {line["etablissementSiege"] for line in lines} == {"true", "false"}


def test_r_siren_2_units_are_streamed_and_written_in_batches(monkeypatch):
    from registre import importer

    monkeypatch.setattr(importer, "BATCH", 10)
    seen = []

    def rows():
        for index in range(20):  # a multiple of the batch: the last flush has nothing left
            if index == 15:
                seen.append(Company.objects.count())  # written while the file is still read
            yield row(siren=f"{100000000 + index}", denominationUniteLegale=f"ENTREPRISE {index}")

    summary = importer.import_rows(rows())
    assert seen == [10] and summary.imported == 20 and Company.objects.count() == 20
    assert str(Company.objects.get(siren="100000003")) == "100000003 ENTREPRISE 3"


def test_demo_sample_draws_again_when_a_siren_comes_twice(monkeypatch):
    from registre.management.commands import make_sirene_sample

    numbers = iter(["111111118", "111111118", "222222226", "333333334"])
    monkeypatch.setattr(make_sirene_sample, "siren", lambda rng: next(numbers))
    assert [line["siren"] for line in make_sirene_sample.sample(5)][2:] == ["111111118", "222222226", "333333334"]
