"""The rules of a SEPA bank account and its B2B mandate (R-BANK-1), in one place.

- IBAN: python-stdnum's country table (``stdnum.iban``): the country's length and format,
  then the ISO 7064 mod 97-10 check digits; spaces and lower case are accepted as typed.
- The zone: a direct debit is drawn on an account of the SEPA schemes' geographical scope
  only (``SEPA_COUNTRIES``); inside it, the BIC is required only outside the European
  Economic Area (``EEA_COUNTRIES``), as the SEPA rulebooks say (EPC, "IBAN-only").
- Masking: an IBAN is shown whole on its owner's mandate only; everywhere else (list, emails,
  logs, audit) as ``masked``: its country and its last 4 characters.
- The RUM (référence unique du mandat): "EP", the SIREN, 12 random characters; 8 to 35
  characters of the SEPA set, unique among all mandates (the database holds the constraint).
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum

from core.messages import message

# The European Economic Area: the 27 member states of the European Union, Iceland,
# Liechtenstein and Norway, by the country code that begins their IBANs (Greece: GR).
EEA_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO".split()
)
# The SEPA schemes' geographical scope beyond the EEA (EPC409-09, list of 2025): a debit from
# an account there needs its BIC. Jersey, Guernsey and the Isle of Man use GB IBANs.
SEPA_OUTSIDE_EEA = frozenset("AD AL CH GB GI MC MD ME MK RS SM VA".split())
SEPA_COUNTRIES = EEA_COUNTRIES | SEPA_OUTSIDE_EEA

# RUM: what a SEPA reference may hold (A-Z, 0-9 is a safe subset of it: no case to mistake,
# nothing a bank's form rejects); random part in Crockford's base 32 (no I, L, O, U).
RUM_PREFIX = "EP"
RUM_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RUM_RANDOM_LENGTH = 12
RUM_RE = re.compile(r"\A[A-Z0-9]{8,35}\Z")
RUM_MIN, RUM_MAX = 8, 35

# The key of the IBANs at rest (core.crypto) and of their digests, each its own.
IBAN_PURPOSE = b"espacepro-bank-iban"
DIGEST_PURPOSE = b"espacepro-bank-iban-digest"

IBAN_MAX_INPUT = 50  # 34 characters at most, with a space every 4
BIC_RE = re.compile(r"\A[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?\Z")


def compact_iban(raw: str) -> str:
    """Return raw without spaces (any kind) and in capitals: "fr76 3000 …" → "FR763000…"."""
    return "".join((raw or "").split()).upper()


def expected_length(country: str) -> int | None:
    """Return the length of an IBAN of country (stdnum's table), or None for a country with none."""
    info = stdnum_iban._ibandb.info(country + "00")
    spec = info[0][1].get("bban") if info else None
    if not spec:
        return None
    return 4 + sum(int(part) for part in re.findall(r"(\d+)!?[nac]", spec))


def clean_iban(raw: str) -> str:
    """Return the IBAN of raw, compact; raise ValidationError with a French message by the field."""
    value = compact_iban(raw)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}", value):
        raise ValidationError(message("iban_invalid"), code="iban_invalid")
    country = value[:2]
    length = expected_length(country)
    if length is None:
        raise ValidationError(message("iban_invalid"), code="iban_invalid")
    if country not in SEPA_COUNTRIES:
        raise ValidationError(message("iban_outside_sepa"), code="iban_outside_sepa")
    if len(value) != length:
        raise ValidationError(message("iban_length", length=length), code="iban_length")
    try:
        stdnum_iban.validate(value)
    except InvalidChecksum:
        raise ValidationError(message("iban_checksum"), code="iban_checksum") from None
    except stdnum_iban.ValidationError:  # the country's format (letters where digits go, a bank key)
        raise ValidationError(message("iban_format"), code="iban_format") from None
    return value


def bic_required(iban: str) -> bool:
    """Return whether an account of this IBAN needs its BIC: outside the EEA."""
    return iban[:2] not in EEA_COUNTRIES


def clean_bic(raw: str) -> str:
    """Return the BIC of raw ("" when empty), compact; raise ValidationError when malformed."""
    value = "".join((raw or "").split()).upper()
    if not value:
        return ""
    if not BIC_RE.fullmatch(value):
        raise ValidationError(message("bic_invalid"), code="bic_invalid")
    try:
        stdnum_bic.validate(value)
    except stdnum_bic.ValidationError:  # a country code no country has
        raise ValidationError(message("bic_invalid"), code="bic_invalid") from None
    return value


def grouped(iban: str) -> str:
    """Return iban by groups of 4: "FR76 3000 6000 0112 3456 7890 189" (the owner's pages only)."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def masked(iban: str) -> str:
    """Return iban as shown outside its owner's mandate: country and last 4 characters kept,
    grouped by 4 as the whole one would be: "FR** **** **** **** **** ***0 189"."""
    hidden = iban[:2] + "*" * (len(iban) - 6) + iban[-4:]
    return grouped(hidden)


def digest(iban: str) -> str:
    """Return a keyed digest of iban: the same account twice in a dossier is found without
    decrypting every row, and the digest alone tells nothing (HMAC under SECRET_KEY)."""
    key = hashlib.sha256(DIGEST_PURPOSE + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, iban.encode("ascii"), hashlib.sha256).hexdigest()


def new_rum(siren: str) -> str:
    """Return a new RUM: "EP", the SIREN, 12 random characters (23 characters)."""
    return RUM_PREFIX + siren + "".join(secrets.choice(RUM_ALPHABET) for _ in range(RUM_RANDOM_LENGTH))
