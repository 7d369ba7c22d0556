"""R-BANK-1 "Éditer le mandat": one page, tagged PDF/UA (StructTreeRoot, /Lang fr), read back
with pypdf (text) and pikepdf (tags); the IBAN whole on the owner's own document; audited.
And the RUM (unique, 8 to 35 characters) and ``manage.py confirm_mandate``."""

import io
import re
from datetime import UTC, datetime

import pikepdf
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from core.models import AuditEvent
from entreprise import sepa
from entreprise.events import Kind as Event
from entreprise.models import BankAccount, MandateStatus
from entreprise.services import bank_accounts
from entreprise.services.bank_accounts import BankAccountRefused
from habilitations.models import Role
from tests.companies import MARTIN
from tests.entreprise import bank
from tests.entreprise.bank import IBAN, OUTSIDE_EEA_IBANS
from tests.factories import SpaceFactory
from tests.habilitations import steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
EMAIL = "lila.rosemonde@exemple.fr"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def space(now):
    space = SpaceFactory(login_email=EMAIL, contact_email=EMAIL)
    bank.payer(space)
    return space


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def tags(pdf: bytes) -> list[str]:
    found = []

    def walk(node):
        if not isinstance(node, pikepdf.Dictionary):
            return
        if "/S" in node:
            found.append(str(node.S))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid)

    with pikepdf.open(io.BytesIO(pdf)) as document:
        walk(document.Root.StructTreeRoot)
    return found


def test_r_bank_1_mandate_pdf_one_tagged_page_with_what_the_bank_expects(client, space, settings):
    settings.SEPA_CREDITOR_ADDRESS = ["139 rue de Bercy", "75572 PARIS CEDEX 12"]
    account = bank.add_account(space)
    steps.enter(client, space)
    answer = client.get(bank.mandate_url(account))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == f'attachment; filename="mandat-sepa-b2b-{account.rum}.pdf"'
    assert "no-store" in answer["Cache-Control"]
    pdf = answer.content
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
        assert "/StructTreeRoot" in document.Root
        assert str(document.Root.Lang) == "fr"
        assert str(document.docinfo.get("/Title", "")) or "/Metadata" in document.Root
    found = tags(pdf)
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/P"} <= set(found)
    text = " ".join(text_of(pdf).split())
    for expected in (
        "Mandat de prélèvement SEPA interentreprises (B2B)",
        f"Référence unique du mandat (RUM) : {account.rum}",
        "Direction générale des Finances publiques",
        "FR46ZZZ005002",
        "139 rue de Bercy",
        "SARL MARTIN DISTRIBUTION",
        "732 829 320",
        "10 RUE DE L'ÉGLISE",
        "FR76 3000 6000 0112 3456 7890 189",
        "Type de paiement : paiement récurrent",
        "Vous n'avez pas droit au remboursement",
        "doit enregistrer la référence unique du mandat (RUM) avant le premier prélèvement",
        "Fait à :",
        "Le :",
        "Signature et cachet :",
        "mandat édité le 03/12/2026 à 10h30",
    ):
        assert expected in text, expected


def test_r_bank_1_mandate_prints_the_bic_outside_the_eea_and_the_creditor_settings(client, space, settings):
    settings.SEPA_CREDITOR_ID = "FR99ZZZ123456"
    settings.SEPA_CREDITOR_NAME = "Créancier d'essai"
    iban, bic = OUTSIDE_EEA_IBANS["GB"]
    account = bank.add_account(space, iban=iban, bic=bic, holder="Holder <b>& Co</b> \u202e" + "x" * 40)  # 60 characters: the field holds 70
    steps.enter(client, space)
    text = " ".join(text_of(client.get(bank.mandate_url(account)).content).split())
    assert "FR99ZZZ123456" in text and "Créancier d'essai" in text
    assert bic in text and sepa.grouped(iban) in text
    assert "Holder <b>& Co</b>" in text


def test_r_audit_2_mandate_edited_audited_with_the_masked_iban(client, space):
    account = bank.add_account(space)
    steps.enter(client, space)
    client.get(bank.mandate_url(account))
    event = AuditEvent.objects.get(kind=Event.BANK_MANDATE_EDITED)
    assert event.space == space and event.detail["iban"] == account.iban_masked
    assert IBAN not in repr(event.detail)


# --- RUM ---

def test_r_bank_1_rum_format_and_unique(space):
    made = {bank.add_account(space, iban=iban).rum for iban in bank.EEA_IBANS.values()}
    assert len(made) == len(bank.EEA_IBANS)
    for rum in made:
        assert 8 <= len(rum) <= 35
        assert re.fullmatch(r"EP732829320[0-9A-HJKMNP-TV-Z]{12}", rum)
        assert sepa.RUM_RE.fullmatch(rum)


def test_r_bank_1_rum_unique_in_the_database(space):
    account = bank.add_account(space)
    twin = BankAccount.objects.get(pk=account.pk)
    twin.pk = None
    twin.iban_digest = "0" * 64
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_r_bank_1_a_rum_drawn_twice_is_drawn_again(space, monkeypatch):
    first = bank.add_account(space)
    drawn = iter([first.rum, first.rum, "EP732829320ABCDEFGHJKMN"])
    monkeypatch.setattr(sepa, "new_rum", lambda siren: next(drawn))
    second = bank.add_account(space, iban=bank.EEA_IBANS["DE"])
    assert second.rum == "EP732829320ABCDEFGHJKMN"


def test_r_bank_1_no_free_rum_after_three_draws_fails_whole(space, monkeypatch):
    first = bank.add_account(space)
    monkeypatch.setattr(sepa, "new_rum", lambda siren: first.rum)
    with pytest.raises(RuntimeError):
        bank.add_account(space, iban=bank.EEA_IBANS["DE"])
    assert BankAccount.objects.count() == 1
    assert AuditEvent.objects.filter(kind=Event.BANK_ACCOUNT_ADDED).count() == 1


# --- confirm_mandate ---

def test_r_bank_1_confirm_mandate_command_b2b_valid_audited_and_emailed(
    space, now, capsys, django_capture_on_commit_callbacks
):
    adder = SpaceFactory(contact_email="ajout@exemple.fr")
    bank.payer(adder, role=Role.SUPPLEANT, granted_by=space)
    account = bank.add_account(adder)
    adder.habilitations.update(ended_at=now)  # no longer a manager: still told, as the one who added it
    with django_capture_on_commit_callbacks(execute=True):
        call_command("confirm_mandate", account.rum.lower())
    assert f"Mandat {account.rum} confirmé : compte {account.iban_masked}" in capsys.readouterr().out
    account.refresh_from_db()
    assert account.b2b_status == MandateStatus.VALID and account.core_status == MandateStatus.VALID
    assert account.mandate_confirmed_at == now
    events = AuditEvent.objects.filter(kind=Event.BANK_MANDATE_CONFIRMED)
    assert sorted(events.values_list("space_id", flat=True)) == sorted([space.pk, adder.pk])
    assert all(event.detail["party"] == "l'administration" and event.ip is None for event in events)
    for address in (EMAIL, "ajout@exemple.fr"):
        subject, body = bank.emails_to(address)[-1]
        assert subject == "Votre mandat de prélèvement SEPA interentreprises est enregistré"
        assert account.iban_masked in body and IBAN not in body and "Valide" in body


def test_r_bank_1_confirm_mandate_refusals(space, now):
    account = bank.add_account(space)
    with pytest.raises(CommandError, match="Aucun compte bancaire actif"):
        call_command("confirm_mandate", "EP000000000AAAAAAAAAAAA")
    with pytest.raises(CommandError, match="Aucun compte bancaire actif"):
        call_command("confirm_mandate", "x\x00' OR 1=1")
    call_command("confirm_mandate", account.rum)
    with pytest.raises(CommandError, match="déjà confirmé"):
        call_command("confirm_mandate", account.rum)
    bank_accounts.remove(request=None, actor=space, account=account, now=now)
    with pytest.raises(BankAccountRefused):
        bank_accounts.confirm_mandate(rum=account.rum, now=now)


def test_r_bank_1_confirmed_shows_valid_in_the_list(client, space):
    account = bank.add_account(space)
    bank_accounts.confirm_mandate(rum=account.rum, now=NOW)
    steps.enter(client, space)
    page = client.get(bank.accounts_url(MARTIN)).content.decode()
    assert "En attente du mandat signé" not in page and page.count(">Valide<") == 2


def test_r_bank_1_mandate_stays_one_page_at_the_form_s_longest_values(space):
    from entreprise import mandate
    from entreprise.services.bank_accounts import NewAccount

    dossier = bank.builders.dossier(MARTIN, "W" * 255)
    iban, bic = OUTSIDE_EEA_IBANS["MC"]
    with_long = NewAccount(iban=iban, bic=bic, holder="W" * 70, address=["W" * 70] * 4)
    account = bank_accounts.add(request=None, actor=space, dossier=dossier, account=with_long, now=NOW)
    pdf = mandate.render(account, now=NOW)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
    assert "Signature et cachet" in text_of(pdf)


def test_r_bank_1_mandate_when_no_attempt_fits_the_last_is_given(space, monkeypatch):
    from entreprise import mandate

    account = bank.add_account(space)
    monkeypatch.setattr(mandate, "ATTEMPTS", ((None, 40),))  # a size no page holds
    pdf = mandate.render(account, now=NOW)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) > 1
