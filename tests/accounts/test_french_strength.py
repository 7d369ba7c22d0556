"""R-PWD-2: zxcvbn fed with the shipped French frequency lists (words, first names, surnames)."""

import math

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from zxcvbn import matching, scoring, zxcvbn

from accounts import validators
from accounts.models import Space
from tests.factories import OTHER_STRONG_PASSWORD, STRONG_PASSWORD

FRENCH_DICTIONARIES = ("fr_words", "fr_first_names", "fr_surnames")
# The guide's own example of a passphrase (seed 001), before it is shortened to initials.
GUIDE_PASSPHRASE = "mon espace professionnel est davantage sécurisé si je choisis un mot de passe personnalisé de plus de 20 caractères !"


def log_guesses(password: str) -> float:
    """Return log10 of zxcvbn's guesses with the product's dictionaries (French included)."""
    validators.strength("x")  # registers the French lists, as any scoring does
    return math.log10(zxcvbn(password)["guesses"])


def english_log_guesses(password: str) -> float:
    """Return log10 of the guesses of zxcvbn as shipped: its English dictionaries only.

    zxcvbn() reads one module-level table; this runs its two steps on a copy without the
    French lists rather than removing them from the table other tests share.
    """
    validators.strength("x")
    english = {name: d for name, d in matching.RANKED_DICTIONARIES.items() if name not in FRENCH_DICTIONARIES}
    english["user_inputs"] = {}
    result = scoring.most_guessable_match_sequence(password, matching.omnimatch(password, english))
    return math.log10(result["guesses"])


def validate(password: str, email: str = "lila@exemple.fr") -> None:
    password_validation.validate_password(password, Space(login_email=email))


@pytest.mark.parametrize(
    "phrase, drop",
    [
        ("je suis dans la maison avec le chat", 2),
        ("jesuisdanslamaisonaveclechat", 4),
        ("il fait beau aujourd'hui dans le jardin", 4),
        ("bonjour madame je voudrais un croissant", 3),
        ("écureuil dans la forêt du château", 6),
        (GUIDE_PASSPHRASE[:72], 8),
    ],
)
def test_r_pwd_2_french_phrases_score_lower_than_with_english_lists_only(phrase, drop):
    """Each phrase needs at least 10**drop times fewer guesses once zxcvbn knows French."""
    assert english_log_guesses(phrase) - log_guesses(phrase) >= drop


def test_r_pwd_2_english_only_baseline_is_zxcvbn_as_shipped():
    """The comparison above is fair: on text without French words both models agree."""
    password = "gT7#qWz!p9Lm@2Vx$8Rk&4Nb"
    assert english_log_guesses(password) == pytest.approx(log_guesses(password))


@pytest.mark.parametrize("typed", ["écureuil", "ecureuil", "ÉCUREUIL", "chateau", "aujourd’hui", "aujourdhui"])
def test_r_pwd_2_french_words_match_with_or_without_accents(typed):
    """Users type "ecureuil" as often as "écureuil": both are one dictionary word."""
    validators.strength("x")
    (match,) = zxcvbn(typed)["sequence"]
    assert match["pattern"] == "dictionary"
    assert match["dictionary_name"] == "fr_words"


@pytest.mark.parametrize(
    "name, dictionary",
    [("ghislaine", "fr_first_names"), ("gwenaelle", "fr_first_names"), ("lefevre", "fr_surnames")],
)
def test_r_pwd_2_french_first_names_and_surnames_are_known(name, dictionary):
    validators.strength("x")
    matches = [m for m in zxcvbn(name)["sequence"] if m["pattern"] == "dictionary"]
    assert [m["dictionary_name"] for m in matches] == [dictionary]
    assert log_guesses(name) < english_log_guesses(name)


@pytest.mark.parametrize(
    "phrase",
    [
        "je suis dans la maison avec le chat",
        "Je suis dans la maison avec le chat !",
        "jesuisdanslamaisonaveclechat",
        "je suis dans la maison avec le chat 2024",
        "le petit chat est mort ce matin",
        "il fait beau aujourd'hui dans le jardin",
        "c'est l'amour de ma vie et de mon cœur",  # elisions: one letter then a common word
        "le chat, le chien, la maison, le jardin, la mer.",  # punctuation separates words
    ],
)
def test_r_pwd_2_refuses_a_phrase_of_very_common_french_words(phrase):
    with pytest.raises(ValidationError) as caught:
        validate(phrase)
    assert [e.code for e in caught.value.error_list] == ["password_weak"]
    # The live meter says the same as the server: both go through strength().
    assert validators.password_level(phrase, email="lila@exemple.fr") == ("Faible et non autorisé", False)


@pytest.mark.parametrize(
    "phrase",
    [
        "je suis dans la maison avec le chat 20245",  # five more characters: no longer only words
        "je suis dans la maison avec le cerf",  # "cerf" is not among the very common words
        "je suis dans la maison avec le chat ! @#$%&",  # "!" separates, the five others count
    ],
)
def test_r_pwd_2_common_phrase_rule_stops_at_its_bounds(phrase):
    assert not validators.is_common_phrase(phrase)
    assert validators.strength(phrase) >= 3


@pytest.mark.parametrize(
    "passphrase",
    [STRONG_PASSWORD, OTHER_STRONG_PASSWORD, GUIDE_PASSPHRASE, "Ma tante Ghislaine élève 3 alpagas à Privas"],
)
def test_r_pwd_2_personal_passphrases_still_pass(passphrase):
    validate(passphrase)
    level, accepted = validators.password_level(passphrase, email="lila@exemple.fr")
    assert accepted is True
    assert level in {"Normal", "Fort"}


@pytest.mark.parametrize(
    "password, inputs",
    [
        (STRONG_PASSWORD, []),
        ("jeanbaptiste.lefebvre@cabinet-lefebvre.fr", ["jeanbaptiste.lefebvre@cabinet-lefebvre.fr", "jeanbaptiste"]),
        ("Lefebvre1975Lefebvre1975", ["Lefebvre", 123456789]),
        ("gT7#qWz!p9Lm@2Vx$8Rk&4Nb", ["lila@exemple.fr"]),
    ],
)
def test_r_pwd_2_strength_scores_as_zxcvbn_with_the_users_data(password, inputs):
    validators.strength("x")
    assert validators.strength(password, inputs) == zxcvbn(password, user_inputs=inputs)["score"]


def test_r_pwd_2_strength_keeps_the_users_data_out_of_zxcvbns_shared_table():
    """The threads of a worker share zxcvbn's table: one user's data must not reach another's scoring."""
    validators.strength("Lefebvre1975Lefebvre1975", ["jeanbaptiste.lefebvre@cabinet-lefebvre.fr"])
    assert "jeanbaptiste.lefebvre@cabinet-lefebvre.fr" not in matching.RANKED_DICTIONARIES.get("user_inputs", {})
