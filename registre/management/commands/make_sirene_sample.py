"""Generate the demo company register in INSEE's exact formats (same headers): the legal units
(StockUniteLegale) and their establishments (StockEtablissement), sièges and a few secondary ones.

Deterministic: the same command always writes the same files (registre/data/sirene_sample.csv
and registre/data/sirene_sample_etablissements.csv). Every SIREN is Luhn-valid; names and
addresses are invented (real cities and postal codes, made-up numbers in common street names).
"""

import csv
import random
from pathlib import Path

from django.core.management import BaseCommand
from stdnum import luhn

COLUMNS = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenom2UniteLegale",
    "prenom3UniteLegale",
    "prenom4UniteLegale",
    "prenomUsuelUniteLegale",
    "pseudonymeUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "nombrePeriodesUniteLegale",
    "categorieEntreprise",
    "anneeCategorieEntreprise",
    "dateDebut",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "denominationUniteLegale",
    "denominationUsuelle1UniteLegale",
    "denominationUsuelle2UniteLegale",
    "denominationUsuelle3UniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
    "societeMissionUniteLegale",
    "caractereEmployeurUniteLegale",
]
FIXED = [  # (siren, name, legal category) shown in the guides or used by the demo space
    ("987654324", "SARLALERIS", "5499"),  # the guide's 987 654 321 is not Luhn-valid
    ("732829320", "MARTIN DISTRIBUTION", "5499"),
]
WORDS = [
    "ATELIER",
    "BOULANGERIE",
    "CABINET",
    "COMPTOIR",
    "CONSEIL",
    "GARAGE",
    "IMPRIMERIE",
    "MENUISERIE",
    "PHARMACIE",
    "TRANSPORTS",
    "HORIZON",
    "ÉTOILE",
    "DU LAC",
    "DES ALPES",
    "SAINT-MICHEL",
    "CÔTE D'ARGENT",
    "LUMIÈRE",
    "FORÊT",
    "MOULIN",
    "VERGER",
    "OCÉAN",
    "PLATEAU",
    "RIVIÈRE",
    "SOLEIL",
]
FORMS = [("SARL", "5499"), ("SAS", "5710"), ("SA", "5599"), ("EURL", "5498"), ("SCI", "6540")]
FIRST = ["Lila", "Hélène", "François", "Zoé", "Noël", "Anaïs", "Jérôme", "Maëlle"]
LAST = ["ROSEMONDE", "LEFÈVRE", "DUPONT", "GARÇON", "MÜLLER", "N'DIAYE"]


def siren(rng: random.Random) -> str:
    base = f"{rng.randrange(10_000_000, 99_999_999):08d}"
    return base + luhn.calc_check_digit(base)


def row(**values) -> dict:
    base = dict.fromkeys(COLUMNS, "")
    base.update(
        statutDiffusionUniteLegale="O",
        etatAdministratifUniteLegale="A",
        dateCreationUniteLegale="2010-06-10",
        dateDebut="2010-06-10",
        nombrePeriodesUniteLegale="1",
        activitePrincipaleUniteLegale="69.20Z",
        nomenclatureActivitePrincipaleUniteLegale="NAFRev2",
        categorieEntreprise="PME",
        anneeCategorieEntreprise="2022",
        caractereEmployeurUniteLegale="N",
        dateDernierTraitementUniteLegale="2024-03-01T09:00:00",
        unitePurgeeUniteLegale="",
    )
    base.update(values)
    base["nicSiegeUniteLegale"] = base["nicSiegeUniteLegale"] or nic(base["siren"], 1)
    return base


def nic(siren_number: str, order: int) -> str:
    """Return the NIC of a unit's establishment number order, making a Luhn-valid SIRET."""
    order_digits = f"{order:04d}"
    return order_digits + luhn.calc_check_digit(siren_number + order_digits)


def sample(count: int) -> list[dict]:
    rng = random.Random(20110610)
    rows = [row(siren=s, denominationUniteLegale=name, categorieJuridiqueUniteLegale=cat) for s, name, cat in FIXED]
    seen = {r["siren"] for r in rows}
    while len(rows) < count:
        number = siren(rng)
        if number in seen:
            continue
        seen.add(number)
        index = len(rows)
        if index % 17 == 0:  # a natural person (entrepreneur individuel)
            rows.append(
                row(
                    siren=number,
                    categorieJuridiqueUniteLegale="1000",
                    sexeUniteLegale="F",
                    prenom1UniteLegale=rng.choice(FIRST),
                    prenomUsuelUniteLegale=rng.choice(FIRST),
                    nomUniteLegale=rng.choice(LAST),
                )
            )
        elif index == 5:  # not diffusible: no name may be shown
            rows.append(
                row(
                    siren=number,
                    statutDiffusionUniteLegale="P",
                    categorieJuridiqueUniteLegale="1000",
                    nomUniteLegale="[ND]",
                    prenom1UniteLegale="[ND]",
                )
            )
        else:
            form, category = rng.choice(FORMS)
            name = f"{form} {rng.choice(WORDS)} {rng.choice(WORDS)}"
            rows.append(
                row(
                    siren=number,
                    denominationUniteLegale=name,
                    categorieJuridiqueUniteLegale=category,
                    etatAdministratifUniteLegale="C" if index == 7 else "A",
                )
            )
    return rows


ESTABLISHMENT_COLUMNS = [  # StockEtablissement, as INSEE ships it since 2025 (54 columns)
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement",
    "activitePrincipaleRegistreMetiersEtablissement",
    "dateDernierTraitementEtablissement",
    "etablissementSiege",
    "nombrePeriodesEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "dernierNumeroVoieEtablissement",
    "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "distributionSpecialeEtablissement",
    "codeCommuneEtablissement",
    "codeCedexEtablissement",
    "libelleCedexEtablissement",
    "codePaysEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement",
    "coordonneeLambertAbscisseEtablissement",
    "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement",
    "numeroVoie2Etablissement",
    "indiceRepetition2Etablissement",
    "typeVoie2Etablissement",
    "libelleVoie2Etablissement",
    "codePostal2Etablissement",
    "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement",
    "distributionSpeciale2Etablissement",
    "codeCommune2Etablissement",
    "codeCedex2Etablissement",
    "libelleCedex2Etablissement",
    "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement",
    "dateDebut",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "enseigne2Etablissement",
    "enseigne3Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "caractereEmployeurEtablissement",
    "activitePrincipaleNAF25Etablissement",
]
CITIES = [  # (postal code, libelleCommuneEtablissement, code commune), as INSEE writes them
    ("75008", "PARIS 8", "75108"),
    ("69003", "LYON 3", "69383"),
    ("13008", "MARSEILLE 8", "13208"),
    ("31000", "TOULOUSE", "31555"),
    ("33000", "BORDEAUX", "33063"),
    ("44000", "NANTES", "44109"),
    ("67000", "STRASBOURG", "67482"),
    ("59000", "LILLE", "59350"),
    ("35000", "RENNES", "35238"),
    ("34000", "MONTPELLIER", "34172"),
    ("06000", "NICE", "06088"),
    ("21000", "DIJON", "21231"),
    ("74000", "ANNECY", "74010"),
    ("63000", "CLERMONT-FERRAND", "63113"),
    ("29200", "BREST", "29019"),
    ("97400", "SAINT-DENIS", "97411"),
]
STREET_TYPES = ["RUE", "RUE", "RUE", "AV", "AV", "BD", "PL", "ALL", "CHE", "IMP", "RTE", "QUAI", "SQ", "CRS"]
STREETS = [
    "DE LA REPUBLIQUE",
    "VICTOR HUGO",
    "JEAN JAURES",
    "DU GENERAL LECLERC",
    "DES LILAS",
    "PASTEUR",
    "DE LA GARE",
    "DU MOULIN",
    "SAINT-MICHEL",
    "DES ECOLES",
    "DE L'EGLISE",
    "GAMBETTA",
    "DU PORT",
    "DES TILLEULS",
]
COMPLEMENTS = ["BATIMENT B", "RESIDENCE LES PINS", "ZONE ARTISANALE DU MOULIN", "2EME ETAGE", "IMMEUBLE LE CENTRAL"]
# Sièges shown in the README and the guides, by the unit's index in the sample (FIXED first).
SPECIAL_SIEGES = {
    0: {  # SARLALERIS, the demo space's company
        "numeroVoieEtablissement": "12",
        "indiceRepetitionEtablissement": "B",
        "typeVoieEtablissement": "AV",
        "libelleVoieEtablissement": "DE L'OPERA",
        "codePostalEtablissement": "75001",
        "libelleCommuneEtablissement": "PARIS 1",
        "codeCommuneEtablissement": "75101",
    },
    1: {  # MARTIN DISTRIBUTION: a CEDEX address with a CS
        "complementAdresseEtablissement": "IMMEUBLE LE LUGDUNUM",
        "numeroVoieEtablissement": "5",
        "typeVoieEtablissement": "BD",
        "libelleVoieEtablissement": "MARIUS VIVIER MERLE",
        "distributionSpecialeEtablissement": "CS 70001",
        "codePostalEtablissement": "69003",
        "libelleCommuneEtablissement": "LYON 3",
        "codeCommuneEtablissement": "69383",
        "codeCedexEtablissement": "69443",
        "libelleCedexEtablissement": "LYON CEDEX 03",
    },
    3: None,  # EURL SOLEIL CÔTE D'ARGENT: no establishment in the file, no siège known
    6: {  # EURL RIVIÈRE DU LAC: a street too long for a line in full
        "numeroVoieEtablissement": "1240",
        "indiceRepetitionEtablissement": "T",
        "typeVoieEtablissement": "BD",
        "libelleVoieEtablissement": "DU MARECHAL DE LATTRE DE TASSIGNY",
        "codePostalEtablissement": "64200",
        "libelleCommuneEtablissement": "BIARRITZ",
        "codeCommuneEtablissement": "64122",
    },
    10: {  # SA CABINET CONSEIL: a siège abroad
        "numeroVoieEtablissement": "",
        "typeVoieEtablissement": "",
        "libelleVoieEtablissement": "RUE DE LA LOI 16",
        "codePostalEtablissement": "",
        "libelleCommuneEtablissement": "",
        "codeCommuneEtablissement": "",
        "libelleCommuneEtrangerEtablissement": "1000 BRUXELLES",
        "codePaysEtrangerEtablissement": "99131",
        "libellePaysEtrangerEtablissement": "BELGIQUE",
    },
}


def establishment(**values) -> dict:
    base = dict.fromkeys(ESTABLISHMENT_COLUMNS, "")
    base.update(
        statutDiffusionEtablissement="O",
        dateCreationEtablissement="2010-06-10",
        trancheEffectifsEtablissement="NN",
        dateDernierTraitementEtablissement="2024-03-01T09:00:00",
        etablissementSiege="true",
        nombrePeriodesEtablissement="1",
        dateDebut="2010-06-10",
        etatAdministratifEtablissement="A",
        activitePrincipaleEtablissement="69.20Z",
        nomenclatureActivitePrincipaleEtablissement="NAFRev2",
        caractereEmployeurEtablissement="N",
    )
    base.update(values)
    base["nic"] = base["nic"] or nic(base["siren"], 1)  # the siège, as nicSiegeUniteLegale says
    base["siret"] = base["siren"] + base["nic"]
    return base


def address(rng: random.Random) -> dict:
    postal_code, city, commune = rng.choice(CITIES)
    return {
        "complementAdresseEtablissement": rng.choice(COMPLEMENTS) if rng.random() < 0.2 else "",
        "numeroVoieEtablissement": str(rng.randrange(1, 120)),
        "indiceRepetitionEtablissement": "B" if rng.random() < 0.1 else "",
        "typeVoieEtablissement": rng.choice(STREET_TYPES),
        "libelleVoieEtablissement": rng.choice(STREETS),
        "distributionSpecialeEtablissement": f"BP {rng.randrange(10, 900)}" if rng.random() < 0.1 else "",
        "codePostalEtablissement": postal_code,
        "libelleCommuneEtablissement": city,
        "codeCommuneEtablissement": commune,
    }


def establishments(units: list[dict]) -> list[dict]:
    """Return the sample's establishments: each unit's siège (closed for a ceased unit, with
    its address withheld for a non-diffusible one), and a secondary establishment every
    fourth unit, which the importer skips."""
    rng = random.Random(20240301)
    rows = []
    for index, unit in enumerate(units):
        special = SPECIAL_SIEGES.get(index, {})
        if special is None:
            continue
        drawn = address(rng)  # drawn for every unit, so that each unit keeps its address
        values = {**dict.fromkeys(drawn, ""), **special} if special else drawn
        if unit["statutDiffusionUniteLegale"] == "P":  # INSEE withholds the address, keeps the commune
            values.update(dict.fromkeys(("numeroVoieEtablissement", "typeVoieEtablissement"), "[ND]"))
            values.update(libelleVoieEtablissement="[ND]", complementAdresseEtablissement="")
            values.update(statutDiffusionEtablissement="P")
        if unit["etatAdministratifUniteLegale"] == "C":
            values.update(etatAdministratifEtablissement="F")
        rows.append(establishment(siren=unit["siren"], **values))
        if index % 4 == 2:
            secondary = nic(unit["siren"], 2)
            rows.append(establishment(siren=unit["siren"], nic=secondary, etablissementSiege="false", **address(rng)))
    return rows


def beside(path: str) -> str:
    """Return the default path of the establishments file: beside the units file."""
    units = Path(path)
    return str(units.with_name(f"{units.stem}_etablissements{units.suffix or '.csv'}"))


class Command(BaseCommand):
    help = (
        "Écrit un échantillon de démonstration aux formats SIRENE StockUniteLegale et "
        "StockEtablissement (par défaut à côté du premier : <nom>_etablissements.csv)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("establishments_path", nargs="?")
        parser.add_argument("--count", type=int, default=200)

    def handle(self, *args, path, establishments_path, count, **options):
        units = sample(max(count, len(FIXED)))
        sites = establishments(units)
        establishments_path = establishments_path or beside(path)
        write(path, COLUMNS, units)
        write(establishments_path, ESTABLISHMENT_COLUMNS, sites)
        self.stdout.write(f"{len(units)} unités légales écrites dans {path}")
        self.stdout.write(f"{len(sites)} établissements écrits dans {establishments_path}")


def write(path: str, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
