"""Unit tests of the identity, password, code and number rules (SPEC §2), named after them."""

import hashlib
from datetime import date, datetime, timezone

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError

from core import identity
from accounts.models import TRUST_QUESTIONS, Space
from codes import tokens
from accounts.services import numbers, passwords
from accounts.validators import password_level
from tests.factories import STRONG_PASSWORD

UTC = timezone.utc


def rejects(fn, value, code):
    with pytest.raises(ValidationError) as caught:
        fn(value)
    assert caught.value.code == code


# --- R-MAIL-1 -----------------------------------------------------------------------
def test_r_mail_1_normalises_case_and_keeps_valid_syntax():
    assert identity.normalize_email("  Lila.Rosemonde@Orange.FR ") == "lila.rosemonde@orange.fr"


@pytest.mark.parametrize("raw", ["lila", "lila@", "@orange.fr", "li la@orange.fr", "lila@orange", "a@b@c.fr"])
def test_r_mail_1_refuses_bad_syntax(raw):
    rejects(identity.normalize_email, raw, "email_invalid")


def test_r_mail_1_refuses_more_than_100_characters():
    local = "a" * 60
    assert len(identity.normalize_email(f"{local}@{'b' * 35}.fr")) == 99
    rejects(identity.normalize_email, f"{local}@{'b' * 37}.fr", "email_too_long")


def test_r_mail_1_needs_no_dns():
    # A syntactically valid domain that surely has no mail server is accepted.
    assert identity.normalize_email("x@domaine-inexistant-0123456789.fr")


# --- R-SIREN-1 ------------------------------------------------------------------------
def test_r_siren_1_accepts_luhn_valid_siren_ignoring_spaces():
    assert identity.normalize_siren(" 732 829 320 ") == "732829320"


@pytest.mark.parametrize("raw", ["732829321", "12345678", "1234567890", "ABCDEFGHI", "000000000", ""])
def test_r_siren_1_refuses_invalid_siren_and_all_zeros(raw):
    rejects(identity.normalize_siren, raw, "siren_invalid")


def test_r_siren_1_foreign_identifier_is_1_to_30_letters_or_digits():
    assert identity.normalize_foreign_id("be 0123 456 789") == "BE0123456789"
    rejects(identity.normalize_foreign_id, "X" * 31, "foreign_id_invalid")
    rejects(identity.normalize_foreign_id, "DE-123", "foreign_id_invalid")
    rejects(identity.normalize_foreign_id, "ÉÉÉ", "foreign_id_invalid")


# --- R-PHONE-1 -------------------------------------------------------------------------
def test_r_phone_1_stores_e164_and_shows_national_format():
    stored = identity.normalize_phone("01 24 57 88 77")
    assert stored == "+33124578877"
    assert identity.format_phone(stored) == "01 24 57 88 77"
    assert identity.normalize_phone("+32 2 555 12 12") == "+3225551212"


@pytest.mark.parametrize("raw", ["12", "abc", "01 24 57", "+33 1 24 57 88 77 99 99", ""])
def test_r_phone_1_refuses_invalid_numbers(raw):
    rejects(identity.normalize_phone, raw, "phone_invalid")


# --- R-PWD-1..5 --------------------------------------------------------------------------
def validate(password, email="lila@exemple.fr"):
    password_validation.validate_password(password, Space(login_email=email))


def test_r_pwd_1_needs_20_to_128_characters():
    with pytest.raises(ValidationError, match="20 caractères minimum"):
        validate("Kx9!vQ2#mL7$wR4&zT8")  # 19
    validate("Kx9!vQ2#mL7$wR4&zT8@")  # 20
    with pytest.raises(ValidationError, match="128 caractères maximum"):
        validate("Kx9!vQ2#mL7$wR4&zT8@" * 7)


def test_r_pwd_1_allows_every_character_and_alters_nothing():
    password = "  Çà et là, l'été — 日本 🙂 tabs\tok  "
    validate(password)
    encoded = make_password(password)
    from django.contrib.auth.hashers import check_password

    assert check_password(password, encoded)
    assert not check_password(password.strip(), encoded)


def test_r_pwd_2_levels_faible_normal_fort():
    assert password_level("aaaaaaaaaaaaaaaaaaaaaa") == ("Faible et non autorisé", False)
    assert password_level(STRONG_PASSWORD)[1] is True
    assert password_level(STRONG_PASSWORD)[0] in {"Normal", "Fort"}
    assert password_level("gT7#qWz!p9Lm@2Vx$8Rk&4Nb")[0] == "Fort"


def test_r_pwd_2_uses_the_users_own_data():
    email = "jeanbaptiste.lefebvre@cabinet-lefebvre.fr"
    password = email  # the login email typed as a password
    assert password_level(password, email="autre@exemple.fr")[1] is True  # strong for a stranger
    assert password_level(password, email=email) == ("Faible et non autorisé", False)
    with pytest.raises(ValidationError, match="trop faible, veuillez ressayer"):
        validate(password, email=email)


def test_r_pwd_4_refuses_listed_and_repeated_common_passwords():
    with pytest.raises(ValidationError, match="liste de mots de passe"):
        validate("mepedssjcumdppdpd20c!")  # the example printed in the official guide
    with pytest.raises(ValidationError, match="liste de mots de passe"):
        validate("motdepassemotdepasse")
    with pytest.raises(ValidationError, match="liste de mots de passe"):
        validate("soleil" * 4)


def test_r_pwd_5_argon2id_with_owasp_parameters():
    encoded = make_password(STRONG_PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.django_db
def test_r_pwd_3_refuses_current_and_last_five_and_only_them():
    """Through the one set_password service and the validator of AUTH_PASSWORD_VALIDATORS."""
    from django.contrib.auth.password_validation import validate_password

    from tests.factories import SpaceFactory

    passwords_in_order = [f"Le phare de Sein veille la nuit numéro {n}" for n in range(7)]
    space = SpaceFactory(raw_password=passwords_in_order[0])
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for new in passwords_in_order[1:]:
        validate_password(new, space)  # never used before: accepted
        passwords.set_password(space, raw=new, at=now)
    # Current: number 6; the last five before it: 5, 4, 3, 2, 1; number 0 is forgotten.
    assert space.password_history.count() == 5
    for used in passwords_in_order[1:]:
        with pytest.raises(ValidationError) as refused:
            validate_password(used, space)
        assert [e.code for e in refused.value.error_list] == ["password_reused"]
    validate_password(passwords_in_order[0], space)


# --- R-PWD-6 -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "changed, expires",
    [
        (datetime(2026, 2, 23, 13, 52, tzinfo=UTC), date(2029, 2, 22)),
        (datetime(2023, 8, 8, 10, 0, tzinfo=UTC), date(2026, 8, 7)),
        # 23:30 UTC on 22/02 is already 23/02 in Paris: the Paris day counts.
        (datetime(2026, 2, 22, 23, 30, tzinfo=UTC), date(2029, 2, 22)),
        (datetime(2024, 2, 29, 12, 0, tzinfo=UTC), date(2027, 2, 28)),
    ],
)
def test_r_pwd_6_valid_three_years_minus_one_day_paris_time(changed, expires):
    assert passwords.expiry_date(changed) == expires


def test_r_pwd_6_expired_only_after_the_last_day():
    space = Space(password_expires_on=date(2029, 2, 22))
    assert not passwords.is_expired(space, today=date(2029, 2, 22))
    assert passwords.is_expired(space, today=date(2029, 2, 23))


# --- R-CODE-1 ------------------------------------------------------------------------------
def test_r_code_1_twelve_characters_of_the_alphabet_and_hashed():
    drawn = {tokens.generate() for _ in range(200)}
    assert len(drawn) == 200
    assert all(tokens.CODE_RE.match(code) for code in drawn)


def test_r_code_1_stored_digest_is_keyed_with_the_secret_key(settings):
    """A stolen table gives nothing to try offline: the digest needs SECRET_KEY (decisions.md)."""
    code = "Ab3dEf6hIj9k"
    stored = tokens.digest(code)
    assert stored == tokens.digest(code)  # deterministic: a request is found by its code
    assert stored != tokens.digest(code.swapcase())  # case-sensitive
    assert stored != tokens.digest("Ab3dEf6hIj9l")
    unkeyed = {
        getattr(hashlib, name)(prefix + code.encode()).hexdigest()
        for name in ("md5", "sha1", "sha256", "sha512", "blake2b", "sha3_256")
        for prefix in (b"", b"activation-code:")
    }
    assert stored not in unkeyed
    settings.SECRET_KEY = "another-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    assert tokens.digest(code) != stored  # another key, another digest


# --- R-NUM-1 -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_r_num_1_year_day_of_year_and_sequence():
    at = datetime(2026, 2, 23, 15, 0, tzinfo=UTC)
    first, second = numbers.allocate(at), numbers.allocate(at)
    assert first == "20260540000001" and second == "20260540000002"
    # 23:30 UTC on 31/12 is 1 January in Paris: a new day, a new sequence.
    assert numbers.allocate(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "20270010000001"


# --- R-TRUST-1 -----------------------------------------------------------------------------
def test_r_trust_1_default_question_and_seed_questions():
    assert TRUST_QUESTIONS[0] == "Quel est votre surnom ?"
    for question in (
        "Le prénom de votre conjoint(e) ?",
        "Le nom de votre animal de compagnie ?",
        "Quel est votre plat préféré ?",
    ):
        assert question in TRUST_QUESTIONS
