"""R-BANK-1: IBAN (python-stdnum: the country's length and format, the mod 97 check digits,
spaces accepted) and BIC (required outside the EEA only), valid and invalid examples of
several countries, and the check digits under Hypothesis."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from core.messages import message
from entreprise import sepa
from entreprise.forms.bank_accounts import BankAccountForm
from tests.entreprise.bank import EEA_IBANS, FORM, NOT_SEPA_IBAN, OUTSIDE_EEA_IBANS
from tests.hostile import FUZZ


def refusal(raw: str) -> str:
    with pytest.raises(ValidationError) as refused:
        sepa.clean_iban(raw)
    return refused.value.code


@pytest.mark.parametrize("country", sorted(EEA_IBANS))
def test_r_bank_1_valid_eea_ibans_accepted_compact_spaced_or_lower_case(country):
    iban = EEA_IBANS[country]
    assert sepa.clean_iban(iban) == iban
    assert sepa.clean_iban(sepa.grouped(iban)) == iban
    assert sepa.clean_iban(f"  {sepa.grouped(iban).lower()}\u00a0") == iban
    assert not sepa.bic_required(iban)


@pytest.mark.parametrize("country", sorted(OUTSIDE_EEA_IBANS))
def test_r_bank_1_sepa_ibans_outside_the_eea_need_their_bic(country):
    iban, bic = OUTSIDE_EEA_IBANS[country]
    assert sepa.clean_iban(iban) == iban
    assert sepa.bic_required(iban)
    assert sepa.clean_bic(bic) == bic


def test_r_bank_1_an_account_outside_sepa_is_refused():
    assert stdnum_iban.is_valid(NOT_SEPA_IBAN)  # a real IBAN: only the zone refuses it
    assert refusal(NOT_SEPA_IBAN) == "iban_outside_sepa"


@pytest.mark.parametrize(
    "raw, code",
    [
        ("FR7630006000011234567890188", "iban_checksum"),  # last digit changed
        ("DE89370400440532013001", "iban_checksum"),
        ("ES9121000418450200051333", "iban_checksum"),
        ("FR763000600001123456789018", "iban_length"),  # one character short
        ("DE8937040044053201300000", "iban_length"),
        ("NL91ABNA04171643001", "iban_length"),
        ("XX7630006000011234567890189", "iban_invalid"),  # no such country
        ("US12345678901234", "iban_invalid"),  # a country without IBANs
        ("7630006000011234567890189", "iban_invalid"),
        ("FR76-3000-6000-0112", "iban_invalid"),
        ("", "iban_invalid"),
    ],
)
def test_r_bank_1_invalid_ibans_refused_with_their_reason(raw, code):
    assert refusal(raw) == code


def test_r_bank_1_the_country_format_letters_where_digits_go():
    # NL's bank code is 4 letters: digits there, with check digits made right, break the format.
    bban = "1234" + "0417164300"
    iban = "NL" + stdnum_iban.calc_check_digits("NL00" + bban) + bban
    assert refusal(iban) == "iban_format"


def test_r_bank_1_the_national_key_of_a_belgian_or_spanish_account():
    # stdnum checks BE's and ES's own keys as well: right IBAN check digits, wrong national key.
    for country, bban in (("BE", "096123456768"), ("ES", "21000418460200051332")):
        iban = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
        assert refusal(iban) in {"iban_checksum", "iban_format"}


def test_r_bank_1_the_messages_say_why():
    with pytest.raises(ValidationError) as refused:
        sepa.clean_iban("FR763000600001123456789018")
    assert refused.value.messages == [message("iban_length", length=27)]


@pytest.mark.parametrize("bic", ["DEUTDEFF", "deutdeff500", "BNPA FR PP", "UBSWCHZH80A"])
def test_r_bank_1_valid_bics(bic):
    assert sepa.BIC_RE.fullmatch(sepa.clean_bic(bic))


@pytest.mark.parametrize("bic", ["DEUT1EFF", "DEUTDEF", "DEUTDEFF5", "DEUTXXFF", "DEUTDEFF50!", "ÉÉÉÉFRPP"])
def test_r_bank_1_invalid_bics(bic):
    with pytest.raises(ValidationError) as refused:
        sepa.clean_bic(bic)
    assert refused.value.code == "bic_invalid"


def test_r_bank_1_no_bic_is_no_bic():
    assert sepa.clean_bic("  ") == ""


def form(**changes) -> BankAccountForm:
    return BankAccountForm({**FORM, **changes})


def test_r_bank_1_form_eea_account_without_bic():
    checked = form()
    assert checked.is_valid(), checked.errors
    assert checked.cleaned_data["iban"] == EEA_IBANS["FR"]
    assert checked.cleaned_data["country"] == "FRANCE"
    assert checked.address() == ["10 RUE DE L'ÉGLISE", "25000 BESANÇON", "FRANCE"]


def test_r_bank_1_form_complement_kept_in_order():
    checked = form(complement="Bâtiment B")
    assert checked.is_valid()
    assert checked.address() == ["10 RUE DE L'ÉGLISE", "Bâtiment B", "25000 BESANÇON", "FRANCE"]


@pytest.mark.parametrize("country", sorted(OUTSIDE_EEA_IBANS))
def test_r_bank_1_form_bic_required_outside_the_eea(country):
    iban, bic = OUTSIDE_EEA_IBANS[country]
    refused = form(iban=iban)
    assert not refused.is_valid()
    assert refused.errors == {"bic": [message("bic_required")]}
    assert form(iban=iban, bic=bic).is_valid()


def test_r_bank_1_form_messages_by_the_field():
    refused = form(iban="FR7630006000011234567890188", bic="1234", holder="", street="", city="")
    assert not refused.is_valid()
    assert refused.errors == {
        "iban": [message("iban_checksum")],
        "bic": [message("bic_invalid")],
        "holder": [message("required")],
        "street": [message("required")],
        "city": [message("required")],
    }


# --- Hypothesis: valid IBANs made by computing the check digits of random BBANs ---

# Countries whose BBAN stdnum checks by its format only (BE, ES have national keys too).
BBAN_COUNTRIES = ["AT", "CH", "DE", "FR", "GB", "IT", "MC", "NL", "PT", "SE"]
CHARSETS = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


@st.composite
def valid_ibans(draw) -> str:
    country = draw(st.sampled_from(BBAN_COUNTRIES))
    spec = stdnum_iban._ibandb.info(country + "00")[0][1]["bban"]
    bban = "".join(
        draw(st.text(alphabet=CHARSETS[kind], min_size=int(size), max_size=int(size)))
        for size, kind in re.findall(r"(\d+)!?([nac])", spec)
    )
    return country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban


@FUZZ
@given(iban=valid_ibans(), spaced=st.booleans())
def test_r_bank_1_hypothesis_computed_check_digits_accepted(iban, spaced):
    assert sepa.clean_iban(sepa.grouped(iban) if spaced else iban) == iban


@FUZZ
@given(iban=valid_ibans(), data=st.data())
def test_r_bank_1_hypothesis_any_single_digit_changed_is_refused(iban, data):
    digits = [index for index, char in enumerate(iban) if char.isdigit()]
    index = data.draw(st.sampled_from(digits))
    other = data.draw(st.sampled_from([d for d in "0123456789" if d != iban[index]]))
    changed = iban[:index] + other + iban[index + 1 :]
    assert refusal(changed) in {"iban_checksum", "iban_format"}
