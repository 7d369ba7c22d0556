"""Import legacy certificate spaces from the operators' CSV (J7: spaces that predate the product).

Each row is checked by the creation form's rules (certificate_import.forms.CertificateSpaceRowForm) and
written in its own transaction: a bad row is reported with its line and reason and nothing
of it is written; the good rows are imported; a number already present is left unchanged.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction

from accounts.certificate_import.forms import CertificateSpaceRowForm
from core.messages import message
from accounts.models import AccessMode, Certificate, Space
from core import audit
from accounts.services import certificates, spaces
from accounts.events import Kind as Event

HEADER = (
    "numero_abonne,civilite,nom,prenom,adresse_electronique,telephone,numero_voie,nature_voie,"
    "libelle_voie,complement_adresse,code_postal,ville,pays,entreprise_etrangere,siren,"
    "question_confiance,certificat"
).split(",")

# CSV column → form field; the form's labels are the CSV names, so errors quote the column.
FIELDS = {
    "numero_abonne": "subscriber_number",
    "civilite": "civility",
    "nom": "last_name",
    "prenom": "first_name",
    "adresse_electronique": "contact_email",
    "telephone": "phone",
    "numero_voie": "street_number",
    "nature_voie": "street_type",
    "libelle_voie": "street_name",
    "complement_adresse": "address_complement",
    "code_postal": "postal_code",
    "ville": "city",
    "pays": "country",
    "entreprise_etrangere": "foreign_company",
    "siren": "company_identifier",
    "question_confiance": "trust_question",
    "certificat": "certificate",
}
CIVILITIES = {"Madame": "MME", "Monsieur": "M"}
COLUMN_OF = {form_field: column for column, form_field in FIELDS.items()}
# A PEM certificate is a few KiB: a field past this is refused as the csv module's error.
FIELD_MAX_CHARS = 64 * 1024


@dataclass
class Report:
    imported: list[str] = field(default_factory=list)
    present: list[tuple[int, str]] = field(default_factory=list)  # (line, number)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


class BadFile(Exception):
    """The file cannot be read as the expected CSV at all (encoding, header)."""


def _row_data(row: list[str]) -> dict:
    data = {FIELDS[column]: value for column, value in zip(HEADER, row, strict=True)}
    data["civility"] = CIVILITIES.get(data["civility"], data["civility"])
    return data


def _reasons(form) -> str:
    return " ; ".join(
        f"{COLUMN_OF.get(name, 'ligne')} : {' '.join(errors)}" for name, errors in form.errors.items()
    )


def _create(form, *, now: datetime) -> Space:
    data = form.cleaned_data
    cert = data["certificate"]
    space = Space(
        subscriber_number=data["subscriber_number"],
        access_mode=AccessMode.CERTIFICATE,
        login_email=None,  # R-MAIL-3: a certificate space has no login; the address may be shared
        contact_email=data["contact_email"],
        trust_question=data["trust_question"] or "",
        trust_answer_hash="",  # chosen when the space opts for password access (J8)
        created_at=now,
        **{name: data[name] for name in spaces.PROFILE_FIELDS if name != "trust_question"},
    )
    space.set_unusable_password()  # no password form can ever open it
    space.save()
    certificates.attach(space, cert)
    return space


def _import_row(line: int, row: list[str], report: Report, now: datetime) -> None:
    if len(row) != len(HEADER):
        report.refused.append((line, f"{len(row)} colonnes au lieu de {len(HEADER)}"))
        return
    form = CertificateSpaceRowForm(_row_data(row))
    if not form.is_valid():
        report.refused.append((line, _reasons(form)))
        return
    number = form.cleaned_data["subscriber_number"]
    if Space.objects.filter(subscriber_number=number).exists():
        report.present.append((line, number))
        return
    if Certificate.objects.filter(fingerprint=certificates.fingerprint(form.cleaned_data["certificate"])).exists():
        report.refused.append((line, f"certificat : {message('certificate_taken')}"))
        return
    try:
        with transaction.atomic():  # the space and its certificate, or nothing
            space = _create(form, now=now)
    except IntegrityError:  # another import wrote the same number or certificate meanwhile
        report.present.append((line, number))
        return
    audit.record(None, Event.CERTIFICATE_IMPORTED, space=space, email=space.contact_email, source="import")
    report.imported.append(number)


def import_csv(raw: bytes, *, now: datetime) -> Report:
    """Import every row of a UTF-8 CSV file of certificate spaces and return the report."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(f"le fichier n'est pas en UTF-8 (octet {error.start})") from None
    csv.field_size_limit(FIELD_MAX_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise BadFile(f"ligne 1 : {error}") from None
    if header != HEADER:
        raise BadFile("l'en-tête attendu est : " + ",".join(HEADER))
    report = Report()
    while True:
        line = reader.line_num + 1  # a row's first physical line (the PEM spans several)
        try:
            row = next(reader)
        except StopIteration:
            return report
        except csv.Error as error:
            # The csv module cannot resynchronise after a broken quote or a huge field.
            report.refused.append((line, f"fichier illisible à partir d'ici ({error})"))
            return report
        if not any(cell.strip() for cell in row):
            continue
        _import_row(line, row, report, now)
