"""The postal address of a siège as La Poste's norm NF Z10-011 lays it out (R-ADH-2).

At most 6 lines of at most 38 characters, in capitals without diacritics, empty lines left out:

1. the recipient: the company's name;
2. (a person or service within the company: none is known here);
3. the complement (building, entrance, residence): complementAdresseEtablissement;
4. number, repetition (BIS, TER…), type and name of the street, the type in full ("AV" is
   printed "AVENUE") unless the line would pass 38 characters, where INSEE's abbreviation is
   the norm's own;
5. the special distribution (BP, TSA, CS…);
6. the postal code and the city (an arrondissement of Paris, Lyon or Marseille by its city's
   name, as La Poste routes it), or the CEDEX code and its label (then "… CEDEX …").

Abroad, line 6 is the city as INSEE writes it (it carries the foreign postal code) and one
more line names the country. The address lines (not the name) lose their punctuation, which
machines reading the letter stumble on. A line still too long is cut at 38 characters, after
its last whole word.
"""

import re
import unicodedata

WIDTH = 38
MAX_LINES = 6

# INSEE's codes for typeVoieEtablissement (SIRENE's "dessin de fichier"), in full as La Poste
# prints them. A code not listed is printed as INSEE writes it.
STREET_TYPES = {
    "ALL": "ALLEE",
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "CAR": "CARREFOUR",
    "CHE": "CHEMIN",
    "CHS": "CHAUSSEE",
    "CITE": "CITE",
    "COR": "CORNICHE",
    "CRS": "COURS",
    "DOM": "DOMAINE",
    "DSC": "DESCENTE",
    "ECA": "ECART",
    "ESP": "ESPLANADE",
    "FG": "FAUBOURG",
    "GR": "GRANDE RUE",
    "HAM": "HAMEAU",
    "HLE": "HALLE",
    "IMP": "IMPASSE",
    "LD": "LIEU DIT",
    "LOT": "LOTISSEMENT",
    "MAR": "MARCHE",
    "MTE": "MONTEE",
    "PAS": "PASSAGE",
    "PL": "PLACE",
    "PLN": "PLAINE",
    "PLT": "PLATEAU",
    "PRO": "PROMENADE",
    "PRV": "PARVIS",
    "QUA": "QUARTIER",
    "QUAI": "QUAI",
    "RES": "RESIDENCE",
    "RLE": "RUELLE",
    "ROC": "ROCADE",
    "RPT": "ROND POINT",
    "RTE": "ROUTE",
    "RUE": "RUE",
    "SEN": "SENTIER",
    "SQ": "SQUARE",
    "TPL": "TERRE PLEIN",
    "TRA": "TRAVERSE",
    "VLA": "VILLA",
    "VLGE": "VILLAGE",
}
REPETITIONS = {"B": "BIS", "T": "TER", "Q": "QUATER", "C": "QUINQUIES"}  # indiceRepetition…
LIGATURES = str.maketrans({"Œ": "OE", "Æ": "AE"})
PUNCTUATION = re.compile(r"[^\w ]")
# INSEE names the arrondissements ("PARIS 8", "LYON 3"); La Poste routes them to the city.
ARRONDISSEMENT = re.compile(r"^(PARIS|LYON|MARSEILLE) \d{1,2}$")


def clean(text: str) -> str:
    """Return text in capitals without diacritics, its spaces collapsed."""
    text = " ".join((text or "").split()).upper().translate(LIGATURES)
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def address(text: str) -> str:
    """Return text cleaned for an address line: punctuation becomes a space."""
    return clean(PUNCTUATION.sub(" ", text or ""))


def cut(text: str) -> str:
    """Return text cut to WIDTH, at the last whole word when there is one."""
    if len(text) <= WIDTH:
        return text
    head = text[: WIDTH + 1]
    return head.rsplit(" ", 1)[0].rstrip() if " " in head.strip() else text[:WIDTH]


def street_line(siege) -> str:
    """Return line 4: number, repetition, type in full (abbreviated if too long), street."""
    repetition = address(siege.repetition)
    number = " ".join(part for part in (address(siege.number), REPETITIONS.get(repetition, repetition)) if part)
    code, name = address(siege.street_type), address(siege.street_name)
    for street_type in (STREET_TYPES.get(code, code), code):
        line = " ".join(part for part in (number, street_type, name) if part)
        if len(line) <= WIDTH:
            return line
    return cut(line)


def locality_line(siege) -> str:
    """Return line 6 in France: "CODE_POSTAL COMMUNE", or "CODE_CEDEX LIBELLE CEDEX"."""
    if address(siege.cedex_code):
        label = address(siege.cedex_label) or address(siege.city)
        if "CEDEX" not in label.split():
            label = f"{label} CEDEX".strip()
        return cut(f"{address(siege.cedex_code)} {label}")
    postal_code = address(siege.postal_code)
    city = ARRONDISSEMENT.sub(r"\1", address(siege.city))
    return cut(f"{postal_code} {city}".strip()) if postal_code else ""


def lines(recipient: str, siege) -> tuple[str, ...]:
    """Return the postal lines of siege for recipient, or () when its address cannot carry a
    letter (no postal code nor CEDEX in France, no country abroad)."""
    if address(siege.foreign_country_code) or address(siege.foreign_country):
        last = [cut(address(siege.foreign_city)), cut(address(siege.foreign_country))]
    else:
        last = [locality_line(siege)]
    if not last[-1]:
        return ()
    middle = [cut(address(siege.complement)), street_line(siege), cut(address(siege.special_distribution))]
    found = [line for line in [cut(clean(recipient)), *middle, *last] if line]
    return tuple(found[:MAX_LINES])
