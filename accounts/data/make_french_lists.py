"""Build espace/data/french-frequency-lists.json.gz (R-PWD-2): French lists for zxcvbn.

zxcvbn ships English dictionaries only, so a passphrase of common French words scores
like random text. This script writes three ranked lists, most frequent first, which
accounts.validators registers with zxcvbn's add_frequency_lists:

- fr_words: the WORDS most frequent French words of wordfreq (its "large" French list,
  built from subtitles, Wikipedia, news, web text...): letters, with inner apostrophes
  and hyphens ("aujourd'hui", "peut-être"), two letters or more. One-letter entries
  ("l", "à") are left out: they lower no score (zxcvbn counts a single character as
  ten guesses either way) and their many matches made scoring 1.5x slower.
- fr_first_names, fr_surnames: the first names and surnames of Faker's French-language
  person providers (fr_FR, fr_BE, fr_CH, fr_CA; they come from public registries such
  as INSEE's), ranked by their wordfreq French frequency, since an attacker tries the
  common names first. No separate open list of French names with frequencies could be
  fetched offline; wordfreq's word list already holds the frequent names too.

Spellings: zxcvbn lowercases but keeps accents, and people type "ecureuil" as often as
"écureuil", "aujourdhui" or "aujourd’hui" (typographic apostrophe, as phones type it)
as often as "aujourd'hui"; each entry is followed by these spellings (same frequency,
so the next ranks), unless a spelling already ranks higher.

wordfreq and Faker are build-time tools only, not dependencies of the product. Run,
from a throwaway virtualenv:
    python -m venv /tmp/wf && /tmp/wf/bin/pip install wordfreq==3.1.1 Faker==40.54.0
    /tmp/wf/bin/python espace/data/make_french_lists.py
"""

import gzip
import importlib
import json
import re
import unicodedata
from pathlib import Path

import wordfreq

HERE = Path(__file__).resolve().parent
OUT = HERE / "french-frequency-lists.json.gz"
# The size of zxcvbn's own English word lists (english_wikipedia): rarer words add
# memory and little protection, since a rare word already costs many guesses.
WORDS = 30000
NAME_LOCALES = ("fr_FR", "fr_BE", "fr_CH", "fr_CA")
# French letters, with inner apostrophes and hyphens: digits and emoji are zxcvbn's
# other patterns' business, and wordfreq splits "l'automne" into "l" and "automne".
FRENCH_WORD = re.compile(r"[a-zà-öø-ÿœæ]+(?:['-][a-zà-öø-ÿœæ]+)*")


def unaccented(word: str) -> str:
    """Return word without accents ("écureuil" -> "ecureuil", "cœur" -> "coeur")."""
    word = word.replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def spellings(word: str) -> list[str]:
    """Return word and the ways people type it: unaccented, glued, typographic apostrophe."""
    glued = re.sub(r"['-]", "", word)
    return [word, unaccented(word), glued, unaccented(glued), word.replace("'", "’")]


def ranked(words) -> list[str]:
    """Return words in order, without repeats, each followed by its other spellings."""
    seen, out = set(), []
    for word in words:
        for form in spellings(word):
            if form not in seen:
                seen.add(form)
                out.append(form)
    return out


def french_words() -> list[str]:
    """Return the WORDS most frequent French words of wordfreq, two letters or more."""
    words = [w for w in wordfreq.iter_wordlist("fr", wordlist="large") if len(w) > 1 and FRENCH_WORD.fullmatch(w)]
    return ranked(words[:WORDS])


def faker_names(*attributes: str) -> list[str]:
    """Return the names of Faker's French providers, lowercased, ranked by wordfreq frequency."""
    names = []
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute in attributes:
            names.extend(getattr(provider, attribute, ()))
    forms = []
    for name in names:
        name = name.lower()
        # "Da Silva" is typed glued or hyphenated; spellings() adds "dasilva".
        name = re.sub(r"\s+", "-", name)
        if len(name) > 1 and FRENCH_WORD.fullmatch(name):
            forms.append(name)
    # Stable sort: names wordfreq has never seen keep the providers' order (their own
    # frequency order for fr_FR surnames) after the known ones.
    # Glued, since wordfreq would count "de-vos" as the frequent words "de" and "vos".
    forms = sorted(
        dict.fromkeys(forms), key=lambda n: -wordfreq.word_frequency(n.replace("-", ""), "fr", wordlist="large")
    )
    return ranked(forms)


def main() -> None:
    lists = {
        "fr_words": french_words(),
        "fr_first_names": faker_names("first_names", "first_names_male", "first_names_female"),
        "fr_surnames": faker_names("last_names"),
    }
    with gzip.GzipFile(OUT, "wb", mtime=0) as raw:
        raw.write(json.dumps(lists, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    sizes = ", ".join(f"{name}: {len(words)}" for name, words in lists.items())
    print(f"{sizes} -> {OUT} ({OUT.stat().st_size} octets)")


if __name__ == "__main__":
    main()
