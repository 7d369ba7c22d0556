"""J7 import of legacy certificate spaces (spaces that predate the product): manage.py import_certificate_spaces."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from core import clock
from accounts.models import AccessMode, Certificate, Space
from core.models import AuditEvent
from accounts.services import certificates, pki
from accounts.certificate_import import HEADER
from tests.accounts.certs import client_cert
from accounts.events import Kind as Event

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ca():
    return pki.make_ca("AC de test", now=clock.now())


def row(ca, **changes):
    values = {
        "numero_abonne": "20111710000303",
        "civilite": "Madame",
        "nom": "Rosemonde",
        "prenom": "Lila",
        "adresse_electronique": "Cabinet@Exemple.fr",
        "telephone": "01 24 57 88 77",
        "numero_voie": "12",
        "nature_voie": "rue",
        "libelle_voie": "des Lilas",
        "complement_adresse": "",
        "code_postal": "75011",
        "ville": "Paris",
        "pays": "France",
        "entreprise_etrangere": "non",
        "siren": "732 829 320",
        "question_confiance": "",
        "certificat": client_cert(ca).cert_pem.decode(),
    }
    values.update(changes)
    return values


def write(tmp_path, rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values[column] for column in HEADER] if isinstance(values, dict) else values)
    path = tmp_path / "espaces.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def run(path):
    """Return (stdout, stderr, error) of the command."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_certificate_spaces", str(path), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_j7_good_file_imports_certificate_spaces(tmp_path, ca):
    first = row(ca)
    second = row(
        ca, numero_abonne="20111710000304", civilite="Monsieur", prenom="Paul", question_confiance="Quel est votre surnom ?"
    )
    out, err, error = run(write(tmp_path, [first, second]))
    assert error is None and err == ""
    assert "2 importé(s), 0 déjà présent(s), 0 refusé(s)" in out
    space = Space.objects.get(subscriber_number="20111710000303")
    assert space.access_mode == AccessMode.CERTIFICATE and space.login_email is None
    assert space.contact_email == "cabinet@exemple.fr"  # R-MAIL-1: normalised
    assert (space.civility, space.last_name, space.phone) == ("MME", "ROSEMONDE", "+33124578877")
    assert (space.company_identifier, space.country, space.postal_code) == ("732829320", "FRANCE", "75011")
    assert not space.has_usable_password() and space.password_expires_on is None
    cert = pki_cert(first)
    stored = Certificate.objects.get(space=space)
    assert stored.fingerprint == certificates.fingerprint(cert)
    assert stored.serial == format(cert.serial_number, "x")
    assert stored.not_after == cert.not_valid_after_utc and stored.not_before == cert.not_valid_before_utc
    assert "CN=Lila ROSEMONDE" in stored.subject and "CN=AC de test" in stored.issuer
    assert Space.objects.get(subscriber_number="20111710000304").trust_question == "Quel est votre surnom ?"
    assert AuditEvent.objects.filter(kind=Event.CERTIFICATE_IMPORTED).count() == 2


def pki_cert(values):
    return certificates.load_pem(values["certificat"])


def test_j7_r_mail_3_certificate_spaces_may_share_one_email(tmp_path, ca):
    rows = [row(ca, numero_abonne=f"2011171000030{i}") for i in range(3)]
    _, _, error = run(write(tmp_path, rows))
    assert error is None
    assert Space.objects.filter(contact_email="cabinet@exemple.fr", access_mode=AccessMode.CERTIFICATE).count() == 3


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"numero_abonne": "123"}, "numero_abonne : Le numéro d'abonné comporte 14 chiffres."),
        ({"numero_abonne": "２０１１１７１０００００３０"}, "numero_abonne"),
        ({"civilite": "Mademoiselle"}, "civilite : La civilité est « Madame » ou « Monsieur »."),
        ({"nom": ""}, "nom :"),
        ({"prenom": "Li\x07la"}, "prenom :"),
        ({"adresse_electronique": "pas-une-adresse"}, "adresse_electronique :"),  # R-MAIL-1
        ({"adresse_electronique": "a" * 95 + "@ex.fr"}, "adresse_electronique :"),  # R-MAIL-1: 100 max
        ({"telephone": "12"}, "telephone :"),  # R-PHONE-1
        ({"siren": "123456789"}, "siren :"),  # R-SIREN-1: Luhn
        ({"siren": "000000000"}, "siren :"),
        ({"entreprise_etrangere": "peut-être"}, "entreprise_etrangere : « entreprise_etrangere » vaut"),
        ({"entreprise_etrangere": "oui", "siren": "BE 0123-456"}, "siren :"),
        ({"code_postal": "7501"}, "code_postal :"),
        ({"ville": ""}, "ville :"),
        ({"question_confiance": "Votre film préféré ?"}, "question_confiance : La question de confiance"),
        ({"certificat": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"}, "certificat : Le certificat"),
        ({"certificat": ""}, "certificat :"),
    ],
)
def test_j7_bad_row_is_reported_with_its_line_and_nothing_of_it_written(tmp_path, ca, changes, reason):
    good = row(ca, numero_abonne="20111710000399")
    bad = row(ca, **changes)
    out, err, error = run(write(tmp_path, [good, bad]))
    assert error is not None and error.returncode == 1
    # The header is line 1, the good row's PEM spans lines 2-13: the bad row starts after it.
    bad_line = 2 + good["certificat"].count("\n") + 1
    assert f"ligne {bad_line} : refusée : {reason}" in err
    assert "1 importé(s), 0 déjà présent(s), 1 refusé(s)" in out
    assert list(Space.objects.values_list("subscriber_number", flat=True)) == ["20111710000399"]
    assert Certificate.objects.count() == 1


def test_j7_foreign_company_keeps_its_identifier(tmp_path, ca):
    foreign = row(ca, entreprise_etrangere="oui", siren="be 0123 456", pays="Belgique", code_postal="B-1000")
    _, _, error = run(write(tmp_path, [foreign]))
    assert error is None
    space = Space.objects.get()
    assert (space.foreign_company, space.company_identifier, space.country) == (True, "BE0123456", "BELGIQUE")


def test_j7_rerun_leaves_present_numbers_unchanged(tmp_path, ca):
    path = write(tmp_path, [row(ca)])
    run(path)
    Space.objects.update(city="LYON")
    changed = write(tmp_path, [row(ca, ville="Marseille")])
    out, err, error = run(changed)
    assert error is None
    assert "numéro 20111710000303 déjà présent, laissé inchangé" in out
    assert "0 importé(s), 1 déjà présent(s), 0 refusé(s)" in out
    assert Space.objects.get().city == "LYON" and Certificate.objects.count() == 1


def test_j7_certificate_of_another_space_is_refused(tmp_path, ca):
    first = row(ca)
    twin = row(ca, numero_abonne="20111710000304", certificat=first["certificat"])
    out, err, error = run(write(tmp_path, [first, twin]))
    assert error is not None
    assert "certificat : Ce certificat est déjà celui d'un autre espace." in err
    assert Space.objects.count() == 1


def test_j7_wrong_column_count_is_refused(tmp_path, ca):
    out, err, error = run(write(tmp_path, [["20111710000303", "Madame"], [""] * len(HEADER)]))
    assert error is not None and "ligne 2 : refusée : 2 colonnes au lieu de 17" in err
    assert "0 importé(s), 0 déjà présent(s), 1 refusé(s)" in out  # the empty row is skipped


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe nope", "UTF-8"),
        (b"numero,nom\n1,2\n", "l'en-tête attendu"),
        (b"", "l'en-tête attendu"),
    ],
)
def test_j7_unreadable_file_is_refused_whole(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    _, _, error = run(path)
    assert error is not None and message in str(error)
    assert not Space.objects.exists()


def test_j7_missing_file(tmp_path):
    _, _, error = run(tmp_path / "absent.csv")
    assert error is not None and "absent.csv" in str(error)


def test_j7_broken_csv_stops_with_the_line(tmp_path, ca):
    path = write(tmp_path, [row(ca)])
    huge = ",".join(HEADER) + "\n" + '"' + "x" * 70000 + '"' + ",a" * 16 + "\n"
    path.write_text(huge)
    out, err, error = run(path)
    assert error is not None and "ligne 2 : refusée : fichier illisible" in err


def test_j7_huge_certificate_field_is_refused(tmp_path, ca):
    out, err, error = run(write(tmp_path, [row(ca, certificat="A" * 40000)]))
    assert error is not None and "certificat : Le certificat" in err


def test_j7_huge_header_field_stops_at_line_1(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('"' + "x" * 70000 + '"\n')
    _, _, error = run(path)
    assert error is not None and "ligne 1" in str(error)


def test_j7_concurrent_import_of_the_same_number_is_left_unchanged(tmp_path, ca, monkeypatch):
    """Two operators importing at once: the loser's row hits the unique number, reported as present."""
    from django.db import IntegrityError

    from accounts.certificate_import import importer

    def lost_the_race(form, *, now):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(importer, "_create", lost_the_race)
    out, _, error = run(write(tmp_path, [row(ca)]))
    assert error is None and "0 importé(s), 1 déjà présent(s), 0 refusé(s)" in out


HOSTILE_CELL = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["\x00", "' OR 1=1 --", "<script>", "\u202e", "🙂" * 40, "a" * 5000, " ", '"', "\r\n"]),
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.sampled_from(HEADER), value=HOSTILE_CELL)
def test_j7_hostile_cells_never_crash_nor_half_write(tmp_path_factory, column, value):
    """Any value in any column: imported or refused with a reason, never an exception or half a space."""
    ca = pki.make_ca("AC", now=clock.now())
    path = write(tmp_path_factory.mktemp("csv"), [row(ca, **{column: value})])
    _, err, error = run(path)
    assert error is None or err.startswith("ligne 2 : refusée : ") or "ligne 1" in str(error)
    assert Space.objects.count() == Certificate.objects.count()
    Space.objects.all().delete()
