"""Emails are NFKC-normalised before any comparison (R-MAIL-1, R-MAIL-3)."""

import pytest
from django.core.exceptions import ValidationError

from core.identity import normalize_email


@pytest.mark.parametrize(
    "look_alike",
    [
        "ｌｉｌａ．ｒｏｓｅｍｏｎｄｅ＠ｏｒａｎｇｅ．ｆｒ",  # full-width, "＠" included
        "ｌｉｌａ.rosemonde@orange.fr",  # full-width local part only
        "\u3000Lila.Rosemonde@Orange.FR\u3000",  # ideographic spaces around
        "lila.rosemonde@ｏｒａｎｇｅ.fr",
    ],
)
def test_full_width_look_alikes_are_the_same_address(look_alike):
    assert normalize_email(look_alike) == "lila.rosemonde@orange.fr"


def test_a_ligature_folds_to_its_letters():
    assert normalize_email("ﬁnance@exemple.fr") == "finance@exemple.fr"


def test_still_invalid_after_folding_is_refused():
    with pytest.raises(ValidationError):
        normalize_email("ｌｉｌａ＠＠orange.fr")


def test_every_email_field_of_the_forms_folds_look_alikes():
    """Creation and login read emails through forms.EmailField: the look-alike meets the
    stored form of the real address, so it is refused as taken, or logs into that space."""
    from core.forms import EmailField

    assert EmailField().clean("ｌｉｌａ＠ｏｒａｎｇｅ．ｆｒ") == "lila@orange.fr"


def test_an_address_that_folds_to_nothing_is_required():
    with pytest.raises(ValidationError) as refused:
        normalize_email("\u3000\u3000")
    assert refused.value.code == "required"
