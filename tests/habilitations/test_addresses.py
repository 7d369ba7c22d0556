"""R-ADH-3: the siège address on screen (habilitations.addresses.masked): where the letter goes, not who lives there."""

from habilitations.addresses import masked


def test_r_adh_3_two_lines_or_fewer_unchanged():
    assert masked([]) == []
    assert masked(["SARL MARTIN"]) == ["SARL MARTIN"]
    lines = ["SARL MARTIN", "75002 PARIS"]
    shown = masked(lines)
    assert shown == lines and shown is not lines  # a copy


def test_r_adh_3_first_and_last_lines_in_full_the_others_masked():
    assert masked(["SARL MARTIN DISTRIBUTION", "12 RUE DE LA PAIX", "75002 PARIS"]) == [
        "SARL MARTIN DISTRIBUTION",
        "12 R** D* L* P***",
        "75002 PARIS",
    ]
    assert masked(["DUPONT", "ZONE ARTISANALE DES PINS", "BP 12", "33000 BORDEAUX CEDEX"]) == [
        "DUPONT",
        "Z*** A********* D** P***",
        "B* 12",
        "33000 BORDEAUX CEDEX",
    ]


def test_r_adh_3_digits_kept_one_letter_words_kept():
    assert masked(["X", "3 B RUE A 1234", "Y"])[1] == "3 B R** A 1234"


def test_r_adh_3_accents_and_punctuation():
    assert masked(["X", "ÉCOLE D'ÉTÉ", "Y"])[1] == "É**** D'É**"
    assert masked(["X", "Allée Saint-Exupéry, bât. C", "Y"])[1] == "A**** S****-E******, b**. C"
    assert masked(["X", "ŒUVRE", "Y"])[1] == "Œ****"
