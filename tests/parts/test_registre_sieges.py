"""R-ADH-1, R-ADH-2: the register knows head offices, from INSEE's StockEtablissement format,
and gives their postal address as La Poste prints it (NF Z10-011)."""

import io
import sys
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands import load_demo
from registre import importer, postal
from registre.interfaces import CompanyRecord
from registre.models import Company, Siege
from registre.selectors import company, company_name
from tests.parts.sirene_files import ESTABLISHMENT_COLUMNS, establishment, row, write, zipped

pytestmark = pytest.mark.django_db

LEGAL = {"categorieJuridiqueUniteLegale": "5499"}


def units(tmp_path, *companies, name="units.csv"):
    """Write a StockUniteLegale file of (siren, name) pairs."""
    rows = [row(siren=siren, denominationUniteLegale=label, **LEGAL) for siren, label in companies]
    return write(tmp_path / name, rows)


def sites(tmp_path, *rows, name="sites.csv"):
    return write(tmp_path / name, rows, columns=ESTABLISHMENT_COLUMNS)


def street(**values):
    """The parts of an address, as INSEE writes them, for a siège row."""
    return {
        "numeroVoieEtablissement": "12",
        "typeVoieEtablissement": "AV",
        "libelleVoieEtablissement": "DE L'OPERA",
        "codePostalEtablissement": "75001",
        "libelleCommuneEtablissement": "PARIS 1",
        **values,
    }


def lines(name="SARLALERIS", **values):
    """Return the postal lines of a siège with these StockEtablissement values."""
    parts = {field: "" for field in importer.ADDRESS_COLUMNS}
    parts.update({field: values.pop(column) for field, column in importer.ADDRESS_COLUMNS.items() if column in values})
    assert not values, values
    return postal.lines(name, Siege(**parts))


# --- import -------------------------------------------------------------------------------


def test_r_adh_1_only_the_active_diffusible_siege_keeps_an_address(tmp_path):
    call_command(
        "import_sirene",
        units(
            tmp_path,
            ("987654324", "SARLALERIS"),
            ("732829320", "MARTIN DISTRIBUTION"),
            ("817568009", "SAS IMPRIMERIE BOULANGERIE"),
            ("362054785", "EURL SOLEIL"),
        ),
        sites(
            tmp_path,
            # a secondary establishment first: not the siège, never its address
            establishment(
                siren="987654324", nic="00027", etablissementSiege="false", **street(numeroVoieEtablissement="99")
            ),
            establishment(siren="987654324", **street(indiceRepetitionEtablissement="B")),
            establishment(siren="732829320", etatAdministratifEtablissement="F", **street()),  # closed
            establishment(
                siren="817568009",
                statutDiffusionEtablissement="P",  # not diffusible: INSEE hides the street
                **street(numeroVoieEtablissement="[ND]", libelleVoieEtablissement="[ND]"),
            ),
            establishment(siren="12345", **street()),  # not a SIREN
        ),
        verbosity=0,
    )
    assert company("987654324") == CompanyRecord(
        siren="987654324",
        name="SARLALERIS",
        siege_lines=("SARLALERIS", "12 BIS AVENUE DE L OPERA", "75001 PARIS"),
        active=True,
    )
    for no_siege in ("732829320", "817568009", "362054785"):  # closed, not diffusible, none in the file
        record = company(no_siege)
        assert record.siege_lines == () and not record.has_siege and record.name, no_siege
    assert Siege.objects.count() == 1  # nothing kept for the closed or hidden ones
    assert company("987654324").has_siege


def test_r_adh_1_selector_unknown_siren_is_none_and_hidden_names_have_no_letter(tmp_path):
    assert company("111111118") is None
    hidden = row(
        siren="833990914", statutDiffusionUniteLegale="P", categorieJuridiqueUniteLegale="1000", nomUniteLegale="[ND]"
    )
    ceased = row(siren="185857943", denominationUniteLegale="EURL MOULIN", etatAdministratifUniteLegale="C", **LEGAL)
    call_command(
        "import_sirene",
        write(tmp_path / "u.csv", [hidden, ceased]),
        sites(tmp_path, establishment(siren="833990914", **street()), establishment(siren="185857943", **street())),
        verbosity=0,
    )
    # an address with no name to write on it is no postal address (line 1 is the recipient)
    assert company("833990914") == CompanyRecord(siren="833990914", name=None, siege_lines=(), active=True)
    assert company_name("833990914") is None  # company_name still answers as before
    ceased_record = company("185857943")
    assert ceased_record.active is False and ceased_record.siege_lines[-1] == "75001 PARIS"


def test_r_adh_1_files_in_any_order_an_address_waits_for_its_unit(tmp_path):
    establishments = sites(tmp_path, establishment(siren="732829320", **street()))
    legal_units = units(tmp_path, ("732829320", "MARTIN DISTRIBUTION"))
    call_command("import_sirene", establishments, verbosity=0)  # alone, a run of its own
    assert not Company.objects.exists() and company("732829320") is None  # creates no company
    call_command("import_sirene", legal_units, verbosity=0)  # the units later: the address shows
    assert company("732829320").siege_lines == ("MARTIN DISTRIBUTION", "12 AVENUE DE L OPERA", "75001 PARIS")
    call_command("import_sirene", legal_units, verbosity=0)  # re-importing units keeps it
    assert company("732829320").has_siege

    Siege.objects.all().delete()
    Company.objects.all().delete()
    call_command("import_sirene", establishments, legal_units, verbosity=0)  # both, sites first
    assert company("732829320").has_siege


def test_r_adh_2_reimport_follows_a_moved_then_closed_siege(tmp_path):
    call_command(
        "import_sirene",
        units(tmp_path, ("732829320", "MARTIN DISTRIBUTION")),
        sites(tmp_path, establishment(siren="732829320", **street())),
        verbosity=0,
    )
    moved = street(numeroVoieEtablissement="3", typeVoieEtablissement="PL", libelleVoieEtablissement="BELLECOUR")
    moved.update(codePostalEtablissement="69002", libelleCommuneEtablissement="LYON 2")
    call_command("import_sirene", sites(tmp_path, establishment(siren="732829320", **moved), name="2.csv"), verbosity=0)
    assert company("732829320").siege_lines[1:] == ("3 PLACE BELLECOUR", "69002 LYON")
    closed = establishment(siren="732829320", etatAdministratifEtablissement="F", **moved)
    call_command("import_sirene", sites(tmp_path, closed, name="3.csv"), verbosity=0)
    assert company("732829320").siege_lines == () and not Siege.objects.exists()


# --- postal format (NF Z10-011) -----------------------------------------------------------


def test_r_adh_2_postal_lines_in_capitals_without_accents_types_in_full():
    assert lines(
        "Sas Étoile du Lac",
        complementAdresseEtablissement="Bâtiment B, 2ème étage",
        numeroVoieEtablissement="7",
        indiceRepetitionEtablissement="t",
        typeVoieEtablissement="bd",
        libelleVoieEtablissement="de l'Œuvre",
        codePostalEtablissement="63000",
        libelleCommuneEtablissement="CLERMONT-FERRAND",
    ) == ("SAS ETOILE DU LAC", "BATIMENT B 2EME ETAGE", "7 TER BOULEVARD DE L OEUVRE", "63000 CLERMONT FERRAND")
    # an unknown type is printed as INSEE writes it; Q, C and a letter as the norm writes them
    brest = {"codePostalEtablissement": "29200", "libelleCommuneEtablissement": "BREST"}

    def line_4(number, repetition, street_type, name):
        values = {
            "numeroVoieEtablissement": number,
            "indiceRepetitionEtablissement": repetition,
            "typeVoieEtablissement": street_type,
            "libelleVoieEtablissement": name,
        }
        return lines(**values, **brest)[1]

    assert line_4("4", "Q", "XYZ", "DES PINS") == "4 QUATER XYZ DES PINS"
    assert line_4("1", "C", "SQ", "DU PORT") == "1 QUINQUIES SQUARE DU PORT"
    assert line_4("4", "A", "", "LA CANEBIERE") == "4 A LA CANEBIERE"  # no type: La Canebière has none
    marseille = {"codePostalEtablissement": "13001", "libelleCommuneEtablissement": "MARSEILLE 1"}
    assert lines(**marseille) == ("SARLALERIS", "13001 MARSEILLE")  # La Poste routes to the city


def test_r_adh_2_postal_lines_cedex_form():
    assert lines(
        "MARTIN DISTRIBUTION",
        complementAdresseEtablissement="IMMEUBLE LE LUGDUNUM",
        numeroVoieEtablissement="5",
        typeVoieEtablissement="BD",
        libelleVoieEtablissement="MARIUS VIVIER MERLE",
        distributionSpecialeEtablissement="CS 70001",
        codePostalEtablissement="69003",
        libelleCommuneEtablissement="LYON 3",
        codeCedexEtablissement="69443",
        libelleCedexEtablissement="LYON CEDEX 03",
    ) == (
        "MARTIN DISTRIBUTION",
        "IMMEUBLE LE LUGDUNUM",
        "5 BOULEVARD MARIUS VIVIER MERLE",
        "CS 70001",
        "69443 LYON CEDEX 03",
    )
    # a CEDEX label without the word, or no label at all: the norm's "… CEDEX" all the same
    cedex = {"codeCedexEtablissement": "92024", "libelleCedexEtablissement": "NANTERRE"}
    assert lines(distributionSpecialeEtablissement="BP 42", **cedex) == ("SARLALERIS", "BP 42", "92024 NANTERRE CEDEX")
    assert lines(codeCedexEtablissement="21072", libelleCommuneEtablissement="DIJON")[-1] == "21072 DIJON CEDEX"


def test_r_adh_2_long_lines_abbreviate_the_type_then_are_cut_at_38():
    street_parts = {
        "numeroVoieEtablissement": "1240",
        "typeVoieEtablissement": "BD",
        "libelleVoieEtablissement": "DU MARECHAL JUIN ET LECLERC",
    }
    city = {"codePostalEtablissement": "64200", "libelleCommuneEtablissement": "BIARRITZ"}
    # "1240 BOULEVARD DU MARECHAL JUIN ET LECLERC" is 42 long: the type goes back to INSEE's abbreviation
    assert lines(**street_parts, **city)[1] == "1240 BD DU MARECHAL JUIN ET LECLERC"
    longer = dict(street_parts, indiceRepetitionEtablissement="T", libelleVoieEtablissement="DU MARECHAL DE LATTRE DE TASSIGNY")
    assert lines(**longer, **city)[1] == "1240 TER BD DU MARECHAL DE LATTRE DE"  # abbreviated, then cut
    name = "SOCIETE D'EXPLOITATION DES ETABLISSEMENTS DU GRAND OUEST"
    everything = lines(
        name,
        complementAdresseEtablissement="ZONE INDUSTRIELLE DES GRANDS CHAMPS DU MOULIN",
        distributionSpecialeEtablissement="TSA 12345 SERVICE DES RELATIONS AVEC LES ENTREPRISES",
        codePostalEtablissement="74000",
        libelleCommuneEtablissement="ANNECY LE VIEUX SUR LES BORDS DU GRAND LAC",
        **longer,
    )
    assert everything[0] == "SOCIETE D'EXPLOITATION DES"  # whole words; the name keeps its punctuation
    assert lines("X" * 50, **city)[0] == "X" * 38  # one word longer than a line: cut all the same
    assert len(everything) == 5 and all(len(line) <= 38 for line in everything)
    assert everything[-1] == "74000 ANNECY LE VIEUX SUR LES BORDS DU"
    assert everything[1] == "ZONE INDUSTRIELLE DES GRANDS CHAMPS DU"


def test_r_adh_2_foreign_siege_city_then_country():
    assert lines(
        "SA CABINET CONSEIL",
        libelleVoieEtablissement="RUE DE LA LOI 16",
        libelleCommuneEtrangerEtablissement="1000 BRUXELLES",
        codePaysEtrangerEtablissement="99131",
        libellePaysEtrangerEtablissement="BELGIQUE",
    ) == ("SA CABINET CONSEIL", "RUE DE LA LOI 16", "1000 BRUXELLES", "BELGIQUE")
    full = lines(
        complementAdresseEtablissement="SUITE 400",
        numeroVoieEtablissement="350",
        libelleVoieEtablissement="FIFTH AVENUE",
        distributionSpecialeEtablissement="PO BOX 12",
        libelleCommuneEtrangerEtablissement="NEW YORK NY 10118",
        libellePaysEtrangerEtablissement="ETATS-UNIS",
    )
    assert len(full) == 6 and full[-1] == "ETATS UNIS"  # the norm's six lines, at most
    # a country code with no country to print, or no postal code in France: no usable address
    assert lines(libelleCommuneEtrangerEtablissement="LONDRES", codePaysEtrangerEtablissement="99132") == ()
    assert lines(libelleVoieEtablissement="DU PORT", libelleCommuneEtablissement="BREST") == ()


# --- files and command -------------------------------------------------------------------


def test_r_adh_1_a_file_that_is_neither_stops_the_run_in_french_before_any_write(tmp_path):
    good = units(tmp_path, ("732829320", "MARTIN DISTRIBUTION"))
    other = write(tmp_path / "autre.csv", [{"id": "1", "libelle": "x"}], columns=["id", "libelle"])
    with pytest.raises(CommandError, match="n'est ni un fichier StockUniteLegale ni un fichier StockEtablissement"):
        call_command("import_sirene", good, other, verbosity=0)
    assert not Company.objects.exists()  # the good file, given first, was not imported either
    columns = ["siren", "siret", "etablissementSiege", "codePostalEtablissement"]
    partial = write(tmp_path / "etab.csv", [{"siren": "732829320"}], columns=columns)
    missing = r"Colonnes manquantes \(format StockEtablissement attendu\) : etatAdministratif"
    with pytest.raises(CommandError, match=missing):
        call_command("import_sirene", partial, verbosity=0)
    (tmp_path / "vide.csv").write_text("", encoding="utf-8")
    (tmp_path / "latin1.csv").write_bytes("siren,libellé\n".encode("latin-1"))
    for path, message in (
        (tmp_path / "vide.csv", "n'est ni"),
        (tmp_path / "latin1.csv", "pas en UTF-8"),
        (tmp_path, "est un dossier"),
        (zipped(write(tmp_path / "x.txt", []), "lisez-moi.txt"), "aucun fichier CSV"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("import_sirene", str(path), verbosity=0)


def test_r_adh_1_unreadable_csv_is_a_french_error(tmp_path):
    header = ",".join(importer.UNIT_COLUMNS)
    huge = '"' + "x" * 200_000 + '"'  # past the csv module's field limit
    (tmp_path / "casse.csv").write_text(f"{header}\n732829320,{huge}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="CSV illisible"):
        call_command("import_sirene", str(tmp_path / "casse.csv"), verbosity=0)


def test_r_adh_1_command_end_to_end_zip_stdin_and_its_figures(tmp_path, monkeypatch):
    establishments = sites(
        tmp_path,
        establishment(siren="987654324", **street()),
        establishment(siren="987654324", nic="00027", etablissementSiege="false", **street()),
        establishment(siren="732829320", statutDiffusionEtablissement="P", **street()),
        name="StockEtablissement_utf8.csv",
    )
    with open(units(tmp_path, ("987654324", "SARLALERIS")), encoding="utf-8") as handle:
        monkeypatch.setattr(sys, "stdin", io.StringIO(handle.read()))
    out = io.StringIO()
    call_command("import_sirene", zipped(establishments, "StockEtablissement_utf8.csv"), "-", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{establishments}.zip (StockEtablissement) : 3 lignes lues, 1 adresses de siège importées, "
        "1 sièges fermés ou non diffusibles (sans adresse), 1 ignorées (établissements secondaires ou SIREN invalide).",
        "- (StockUniteLegale) : 1 lignes lues, 1 entreprises importées, 0 ignorées.",
    ]
    assert company("987654324").siege_lines == ("SARLALERIS", "12 AVENUE DE L OPERA", "75001 PARIS")


def test_r_adh_1_headers_with_stray_spaces_and_long_values_are_read(tmp_path):
    path = tmp_path / "espaces.csv"
    sites(tmp_path, establishment(siren="987654324", **street(libelleVoieEtablissement="X" * 150)), name=path.name)
    text = path.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    path.write_text(header.replace(",", " , ") + "\n" + rest, encoding="utf-8")
    assert importer.import_file(str(path)).imported == 1
    assert len(Siege.objects.get().street_name) == 100  # clipped to the column, never a database error


# --- streaming ---------------------------------------------------------------------------


def test_r_adh_1_establishments_are_streamed_and_written_in_batches(monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 10)
    seen = []

    def rows():
        for index in range(35):
            if index == 25:
                seen.append(Siege.objects.count())  # what is written while the file is still read
            yield establishment(siren=f"{100000000 + index}", **street())

    summary = importer.import_establishments(rows())
    assert seen == [20] and Siege.objects.count() == 35 and summary.imported == 35


def test_r_adh_1_memory_stays_flat_whatever_the_size_of_the_file(monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 300)  # the same code, a smaller batch: a quicker test

    def rows(count):
        for index in range(count):
            siege = "true" if index % 2 else "false"
            yield establishment(siren=f"{100000000 + index}", etablissementSiege=siege, **street())

    def peak(count):
        tracemalloc.start()
        try:
            importer.import_establishments(rows(count))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(importer.BATCH)  # warm: what the first import allocates once (compiled queries, caches) is not the file's
    small, large = peak(4 * importer.BATCH), peak(32 * importer.BATCH)
    assert large < 2 * small, (small, large)  # eight times the rows, not eight times the memory


# --- demo ---------------------------------------------------------------------------------


def test_the_demo_register_holds_companies_with_their_siege(tmp_path, monkeypatch):
    monkeypatch.setattr(load_demo, "DEMO_PKI", tmp_path / "demo")
    call_command("load_demo", stdout=io.StringIO())
    assert company("987654324").siege_lines == ("SARLALERIS", "12 BIS AVENUE DE L OPERA", "75001 PARIS")
    assert company("732829320").siege_lines[-2:] == ("CS 70001", "69443 LYON CEDEX 03")
    assert company("521989590").siege_lines[1] == "1240 TER BD DU MARECHAL DE LATTRE DE"
    assert company("178163341").siege_lines == ("SA CABINET CONSEIL", "RUE DE LA LOI 16", "1000 BRUXELLES", "BELGIQUE")
    assert company("362054785").name == "EURL SOLEIL CÔTE D'ARGENT" and not company("362054785").has_siege
    assert not company("833990914").has_siege and not company("185857943").has_siege
    with_siege = sum(company(siren).has_siege for siren in Company.objects.values_list("siren", flat=True))
    assert 150 < with_siege < Company.objects.count()
    assert str(Siege.objects.get(company_id="987654324")).startswith("987654324")  # its SIRET


def test_the_readme_lists_demo_companies_as_the_register_holds_them(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^  \| `(\d{3} \d{3} \d{3})` \| ([^|]+) \| ([^|]+) \|$", readme, flags=re.MULTILINE)
    assert len(listed) >= 8
    call_command("import_sirene", str(load_demo.SAMPLE), str(load_demo.SAMPLE_ESTABLISHMENTS), verbosity=0)
    for siren, name, siege in listed:
        record = company(siren.replace(" ", ""))
        assert name.startswith(record.name or "not diffusible"), siren
        if siege.startswith("none"):
            assert not record.has_siege, siren
        else:
            assert record.siege_lines[-1] == siege.split(", ")[-1].strip(), siren
