"""Generate the demo company register in INSEE's exact StockUniteLegale format (same header).

Deterministic: the same command always writes the same file (registre/data/sirene_sample.csv).
Every SIREN is Luhn-valid; names are invented.
"""

import csv
import random

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
        nicSiegeUniteLegale="00011",
        activitePrincipaleUniteLegale="69.20Z",
        nomenclatureActivitePrincipaleUniteLegale="NAFRev2",
        categorieEntreprise="PME",
        anneeCategorieEntreprise="2022",
        caractereEmployeurUniteLegale="N",
        dateDernierTraitementUniteLegale="2024-03-01T09:00:00",
        unitePurgeeUniteLegale="",
    )
    base.update(values)
    return base


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


class Command(BaseCommand):
    help = "Écrit un échantillon de démonstration au format SIRENE StockUniteLegale."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--count", type=int, default=200)

    def handle(self, *args, path, count, **options):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(sample(max(count, len(FIXED))))
        self.stdout.write(f"{max(count, len(FIXED))} unités légales écrites dans {path}")
