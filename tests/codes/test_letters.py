"""R-ADH-3: letters written to the letters outbox in the request's transaction, rendered as a tagged
PDF and handed over as PDF + JSON manifest to LETTER_SPOOL_DIR; the code only in the letter itself.

The PDFs are read back as a printing service and a screen reader would: text with pypdf, structure
tags with pikepdf.
"""

import hashlib
import logging
import os
import re
import stat
from datetime import datetime, timedelta, timezone

import pikepdf
import pytest
import time_machine
from django.db import connection, transaction
from django.template import TemplateDoesNotExist
from pypdf import PdfReader

from codes import letter_worker, letters, registry
from codes.letter_worker import hand_over_due
from codes.models import OutboxLetter, PendingRequest
from tests.codes.letter_files import (
    ADDRESS,
    LETTER_KIND,
    ask_by_post,
    code_in,
    files_in,
    manifest_of,
    register_letter_kind,
    text_of,
)
from core.site import site_domain
from tests.database import all_database_text

pytestmark = pytest.mark.django_db
UTC = timezone.utc
# 3 December 2026, 10:00 in Paris: the code's 60 days end on 1 February 2027 at 10:00.
ASKED = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
MM = 72 / 25.4  # PDF points in a millimetre


@pytest.fixture
def spool(settings, tmp_path):
    settings.LETTER_SPOOL_DIR = tmp_path / "imprimeur"
    register_letter_kind()
    yield settings.LETTER_SPOOL_DIR
    registry.unregister(LETTER_KIND)


@pytest.fixture
def handed_over(spool):
    """One letter asked at ASKED and handed over; return (its row, its PDF path, its code)."""
    with time_machine.travel(ASKED, tick=False):
        ask_by_post()
        code = letters.unseal(OutboxLetter.objects.get())["code"]
        assert hand_over_due() == 1
    letter = OutboxLetter.objects.get()
    return letter, spool / f"{letter.reference}.pdf", code


def test_r_adh_3_a_request_that_rolls_back_leaves_no_letter_row_nor_file(spool):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            ask_by_post()
            assert OutboxLetter.objects.count() == 1  # written in the request's own transaction
            raise RuntimeError("la demande échoue")
    assert not OutboxLetter.objects.exists() and not PendingRequest.objects.exists()
    assert hand_over_due() == 0
    assert files_in(spool) == []


def test_r_adh_3_the_letter_waits_in_the_outbox_its_context_encrypted(spool):
    ask_by_post()
    letter = OutboxLetter.objects.get()
    code = letters.unseal(letter)["code"]
    assert letter.status == "pending" and letter.address == ADDRESS
    assert letter.template == "codes/letters/activation.html"
    with connection.cursor() as cursor:
        cursor.execute("SELECT context_encrypted FROM codes_outboxletter WHERE id = %s", [letter.pk])
        raw = cursor.fetchone()[0]
    assert code not in raw and "Lila" not in raw
    assert code not in all_database_text()  # nowhere in clear: not in the request either
    assert code not in letter.reference and files_in(spool) == []


def test_r_adh_3_handed_over_as_pdf_and_manifest_whole_and_private(handed_over, spool):
    letter, pdf, code = handed_over
    # Exactly the two files, named by the reference: no temporary file left behind.
    assert files_in(spool) == [f"{letter.reference}.json", f"{letter.reference}.pdf"]
    for name in files_in(spool):
        assert stat.S_IMODE(os.stat(spool / name).st_mode) == 0o600  # the PDF holds a code
    manifest = manifest_of(pdf)
    assert manifest == {
        "reference": letter.reference,
        "address": ADDRESS,
        "pages": 1,
        "created_at": "2026-12-03T09:00:00+00:00",
        "template": "codes/letters/activation.html",
        "pdf": pdf.name,
        "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
    }
    assert code not in pdf.with_suffix(".json").read_text(encoding="utf-8")
    assert letter.status == "sent" and letter.attempts == 1 and letter.sent_at == ASKED and letter.pages == 1
    assert letter.context_encrypted == "" and letters.unseal(letter) == {}  # the code is gone from here
    assert letter.claimed_by == "" and letter.claimed_until is None


def test_r_adh_3_the_pdf_before_its_manifest_each_renamed_into_place(spool, monkeypatch):
    """A printing service that watches manifests never finds one whose PDF is not whole."""
    replaced, real_replace = [], os.replace

    def replace(source, target):
        assert os.path.basename(source).startswith(".") and str(source).endswith(".tmp")  # hidden while written
        replaced.append(os.path.basename(target))
        assert os.path.basename(target).endswith(".pdf") or any(name.endswith(".pdf") for name in replaced[:-1])
        real_replace(source, target)

    monkeypatch.setattr(letter_worker.os, "replace", replace)
    ask_by_post()
    assert hand_over_due() == 1
    reference = OutboxLetter.objects.get().reference
    assert replaced == [f"{reference}.pdf", f"{reference}.json"]


def test_r_adh_3_the_letter_says_the_code_its_deadline_and_how_to_use_it(handed_over, settings):
    letter, pdf, code = handed_over
    text = text_of(pdf)
    words = " ".join(text.split())  # sentences, whatever their line breaks
    assert code_in(pdf) == code and len(code) == 12
    assert "\n".join(ADDRESS) in text  # the postal address, one line each, in its order
    assert "Ce code est valable jusqu'au 1er février 2027 à 10 h 00 (heure de Paris)." in words
    assert f"Référence : {letter.reference}" in text and "Le 3 décembre 2026" in text
    assert f"Connectez-vous sur le site {site_domain()}" in words  # core.site's name of the site, read at the request
    assert "Cliquez sur « Activer »" in words
    assert (
        "Saisissez ce code, en respectant les majuscules et les minuscules, "
        "puis l'adresse électronique de connexion de votre espace"
    ) in words
    assert len(PdfReader(pdf).pages) == 1


def test_r_adh_3_the_site_named_is_the_one_of_the_request(spool, settings, rf):
    from core.site import CurrentRequestMiddleware

    settings.ALLOWED_HOSTS = ["pro.exemple.fr"]

    def view(request):
        ask_by_post()
        return None

    CurrentRequestMiddleware(view)(rf.get("/", HTTP_HOST="pro.exemple.fr"))
    assert hand_over_due() == 1
    [pdf] = spool.glob("*.pdf")
    assert "Connectez-vous sur le site pro.exemple.fr" in text_of(pdf)


def test_r_adh_3_the_recipient_address_sits_in_the_window_of_a_dl_envelope(handed_over):
    """The address lines start 110 mm from the sheet's left edge, between 50 and 85 mm from its top."""
    _, pdf, _ = handed_over
    page = PdfReader(pdf).pages[0]
    height = float(page.mediabox.height)
    where = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            where.setdefault(text.strip(), (x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    for line in ADDRESS:
        left, top = where[line]
        assert 105 <= left <= 115 and 50 <= top <= 85, (line, left, top)
    sender_left, sender_top = where["Espace professionnel"]
    assert sender_left < 40 and sender_top < 45  # the sender, top left, outside the window


def test_r_adh_3_the_pdf_is_tagged_pdf_ua_in_french_in_reading_order(handed_over):
    letter, pdf, _ = handed_over
    with pikepdf.open(pdf) as document:
        root = document.Root
        assert bool(root.MarkInfo.Marked) is True and "/StructTreeRoot" in root
        assert str(root.Lang) == "fr"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(document.docinfo.Title) == f"Courrier {letter.reference} — Espace professionnel"
        assert document.open_metadata()["pdfuaid:part"] == "1"
        found = []

        def walk(node):
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    found.append(str(node.S))
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    walk(kid)

        walk(root.StructTreeRoot)
    outline = [tag for tag in found if tag in ("/H1", "/H2", "/L", "/LI")]
    assert outline == ["/H1", "/H2", "/L", "/LI", "/LI", "/LI"]  # subject, "Comment l'utiliser", its steps


@pytest.mark.parametrize("etat", [True, False])
def test_r_adh_3_the_states_identity_only_for_a_state_deployment(spool, settings, etat):
    settings.ETAT_DEPLOIEMENT = etat
    settings.SERVICE_NAME = "Espace professionnel"
    ask_by_post()
    assert hand_over_due() == 1
    [pdf] = spool.glob("*.pdf")
    text = text_of(pdf)
    assert "Espace professionnel" in text
    assert ("RÉPUBLIQUE\nFRANÇAISE" in text) is etat
    assert ("Direction générale des Finances publiques" in text) is etat


def test_r_adh_3_hostile_address_lines_neither_break_the_pdf_nor_its_text(spool):
    ask_by_post(address=["SARL \u202eEVIL\x00\x07", "1 rue\r\nInjectée\ufffe", "<b>75001</b> PARIS\ud800"])
    assert hand_over_due() == 1
    [pdf] = spool.glob("*.pdf")
    text = text_of(pdf)
    assert "<b>75001</b> PARIS" in text  # escaped, printed as typed
    assert not any(ch in text for ch in "\x00\x07\r\ufffe")
    stored = OutboxLetter.objects.get().address
    assert stored[:2] == ["SARL \u202eEVIL", "1 rue Injectée\ufffe"]  # controls out, one line each, spaces folded
    assert manifest_of(pdf)["address"] == stored


# --- What the outbox refuses, at the request (so that the request fails, not the letter) ---


@pytest.mark.parametrize(
    "address", ["10 rue de la Paix, 75002 PARIS", [], ["", "  "], [f"ligne {i}" for i in range(7)]]
)
def test_r_adh_3_an_address_must_be_one_to_six_lines(address):
    with pytest.raises(ValueError):
        letters.backend().send(address=address, template="codes/letters/activation.html", context={})
    assert not OutboxLetter.objects.exists()


def test_r_adh_3_a_missing_template_or_a_context_json_cannot_hold_fails_the_request():
    with pytest.raises(TemplateDoesNotExist):
        letters.backend().send(address=ADDRESS, template="codes/letters/absent.html", context={})
    with pytest.raises(TypeError, match="object"):
        letters.backend().send(address=ADDRESS, template="codes/letters/activation.html", context={"x": object()})
    assert not OutboxLetter.objects.exists()


def test_r_adh_3_the_context_comes_back_with_its_dates_and_moments():
    from datetime import date

    context = {"code": "AbCdEfGhIjKl", "expires_at": ASKED, "day": date(2027, 2, 1), "n": 3, "nested": {"a": 1}}
    letter = letters.queue(address=ADDRESS, template="codes/letters/activation.html", context=context)
    assert letters.unseal(OutboxLetter.objects.get(pk=letter.pk)) == context


def test_r_adh_3_references_are_drawn_at_random_and_drawn_again_on_a_clash(monkeypatch):
    with time_machine.travel(ASKED, tick=False):
        first = letters.queue(address=ADDRESS, template="codes/letters/activation.html", context={})
    assert re.fullmatch(r"C-2026-[0-9A-HJKMNP-TV-Z]{8}", first.reference)
    drawn = iter([first.reference, first.reference, "C-2026-0000TEST"])
    monkeypatch.setattr(letters, "new_reference", lambda now: next(drawn))
    with transaction.atomic():  # the caller's transaction survives the clash (a savepoint)
        second = letters.queue(address=ADDRESS, template="codes/letters/activation.html", context={})
    assert second.reference == "C-2026-0000TEST" and OutboxLetter.objects.count() == 2
    monkeypatch.setattr(letters, "new_reference", lambda now: first.reference)
    with pytest.raises(RuntimeError, match="trois tirages"):
        letters.queue(address=ADDRESS, template="codes/letters/activation.html", context={})


def test_r_adh_3_the_reference_year_is_the_paris_year():
    assert letters.new_reference(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)).startswith("C-2027-")


# --- Never the code outside its letter ----------------------------------------------------


def test_r_adh_3_the_code_is_in_no_log_record_and_nowhere_in_clear_in_the_database(spool, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    real = letter_worker._write_atomically

    def quoting_failure(folder, name, data):  # an error that quotes what it was given
        raise OSError(f"disque plein en écrivant {code} pour {ADDRESS[1]}")

    monkeypatch.setattr(letter_worker, "_write_atomically", quoting_failure)
    with time_machine.travel(ASKED, tick=False) as traveller:
        ask_by_post()
        letter = OutboxLetter.objects.get()
        code = letters.unseal(letter)["code"]
        assert code not in all_database_text()
        assert hand_over_due() == 0
        letter.refresh_from_db()
        assert letter.last_error.startswith("OSError: disque plein") and code not in letter.last_error
        assert code not in all_database_text()
        monkeypatch.setattr(letter_worker, "_write_atomically", real)
        traveller.shift(timedelta(hours=1))
        assert hand_over_due() == 1
    assert code_in(spool / f"{letter.reference}.pdf") == code
    records = [record.getMessage() for record in caplog.records]
    assert any(letter.reference in message for message in records)  # the reference names the letter
    assert not any(code in message for message in records) and code not in caplog.text
    assert code not in all_database_text()
