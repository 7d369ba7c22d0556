"""Identity data rules: R-MAIL-1, R-SIREN-1, R-PHONE-1. Pure functions raising ValidationError."""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from email_validator import EmailNotValidError, validate_email
from stdnum.fr import siren as stdnum_siren

from core.messages import message

EMAIL_MAX = 100
FOREIGN_ID_RE = re.compile(r"^[A-Za-z0-9]{1,30}$")


def normalize_email(raw: str) -> str:
    """Return the stored form of an email (R-MAIL-1): syntax checked, lowercased, <= 100.

    NFKC first: compatibility look-alikes (full-width "ｌｉｌａ＠ｏｒａｎｇｅ．ｆｒ", ligatures,
    circled or superscript letters) fold to the characters they stand for, so that two
    addresses a person reads as one are one address for the uniqueness of logins.
    No DNS look-up: a deliverability check would leak timing and fail offline; the
    activation code proves the mailbox anyway.
    """
    value = unicodedata.normalize("NFKC", raw or "").strip()
    if not value:
        raise ValidationError(message("required"), code="required")
    if len(value) > EMAIL_MAX * 4:
        raise ValidationError(message("email_too_long"), code="email_too_long")
    try:
        normalized = validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValidationError(message("email_invalid"), code="email_invalid") from None
    normalized = normalized.lower()
    if len(normalized) > EMAIL_MAX:
        raise ValidationError(message("email_too_long"), code="email_too_long")
    return normalized


def normalize_siren(raw: str) -> str:
    """Return a French SIREN without spaces (R-SIREN-1): 9 digits, Luhn-valid, not all zeros."""
    value = re.sub(r"\s+", "", raw or "")
    if not re.fullmatch(r"\d{9}", value) or value == "000000000" or not stdnum_siren.is_valid(value):
        raise ValidationError(message("siren_invalid"), code="siren_invalid")
    return value


def normalize_foreign_id(raw: str) -> str:
    """Return a foreign company identifier ("SIREN ou équivalent"): 1-30 letters or digits."""
    value = re.sub(r"\s+", "", raw or "").upper()
    if not FOREIGN_ID_RE.fullmatch(value) or not value.isascii():
        raise ValidationError(message("foreign_id_invalid"), code="foreign_id_invalid")
    return value


def format_siren(siren: str) -> str:
    """Return "987 654 321" for display."""
    return f"{siren[0:3]} {siren[3:6]} {siren[6:9]}" if len(siren) == 9 and siren.isdigit() else siren


def normalize_phone(raw: str, region: str = "FR") -> str:
    """Return the E.164 form of a phone number (R-PHONE-1), region FR by default."""
    value = (raw or "").strip()
    if not value or len(value) > 30:
        raise ValidationError(message("phone_invalid"), code="phone_invalid")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(message("phone_invalid"), code="phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(message("phone_invalid"), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Return a stored number in national format for display ("01 23 45 67 89")."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def clean_text(raw: str, *, max_length: int, required: bool = False) -> str:
    """Return a free text field stripped, refusing control characters and excess length."""
    value = unicodedata.normalize("NFC", (raw or "").strip())
    if required and not value:
        raise ValidationError(message("required"), code="required")
    if len(value) > max_length:
        raise ValidationError(message("text_too_long", max=max_length), code="text_too_long")
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} for ch in value):
        raise ValidationError(message("text_invalid"), code="text_invalid")
    return value


def printable(raw: str) -> str:
    """Return raw without control characters (for logs and the audit table)."""
    return "".join(ch for ch in str(raw) if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
