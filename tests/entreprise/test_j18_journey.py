"""J18 "Gérer les comptes bancaires" (R-BANK-1, R-AUDIT-2) through the test client: the dossiers,
the list, add → recap → "Confirmer", remove after a confirmation; each change audited for every
space concerned and emailed, the IBAN masked everywhere but the owner's own pages."""

import logging
from datetime import UTC, datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils.html import escape

from core import audit
from core.messages import message
from core.models import AuditEvent
from dossiers.models import Dossier
from entreprise import sepa
from entreprise.events import Kind as Event
from entreprise.flows.bank_accounts import DRAFT_KEY
from entreprise.models import BankAccount, MandateStatus
from habilitations.models import Role
from mailer.models import OutboxEmail
from tests.companies import DUPONT, MARTIN
from tests.entreprise import bank
from tests.entreprise.bank import FORM, IBAN, OUTSIDE_EEA_IBANS
from tests.factories import SpaceFactory
from tests.habilitations import builders, steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
EMAIL = "lila.rosemonde@exemple.fr"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def space(now):
    space = SpaceFactory(login_email=EMAIL, contact_email=EMAIL, last_name="ROSEMONDE", first_name="Lila")
    bank.payer(space)
    return space


@pytest.fixture
def logged(client, space):
    steps.enter(client, space)
    return client


def add(client, siren=MARTIN, **changes):
    """Post the form then "Confirmer"; return the recap's answer and the confirmation's."""
    form = client.post(bank.add_url(siren), {**FORM, **changes})
    assert form.status_code == 302 and form["Location"] == bank.recap_url(siren), form.content.decode()[:3000]
    return client.get(bank.recap_url(siren)), client.post(bank.recap_url(siren))


# --- The entry and the dossiers ---

def test_r_bank_1_manage_page_links_to_the_bank_accounts(logged):
    page = logged.get("/espace/gerer").content.decode()
    assert 'href="/espace/entreprise/comptes-bancaires"' in page


def test_r_bank_1_one_dossier_goes_straight_to_its_list(logged):
    answer = logged.get("/espace/entreprise/comptes-bancaires")
    assert answer.status_code == 302 and answer["Location"] == bank.accounts_url()


def test_r_bank_1_several_dossiers_listed_only_those_with_a_payer_service(logged, space):
    bank.payer(space, DUPONT, code="payer_cfe")
    builders.grant(space, "542065479", "declarer_tva", name="SANS SIEGE")  # no Payer service: not listed
    page = logged.get("/espace/entreprise/comptes-bancaires")
    assert page.status_code == 200
    text = page.content.decode()
    assert bank.accounts_url(MARTIN) in text and bank.accounts_url(DUPONT) in text
    assert "542065479" not in text


def test_r_bank_1_no_payer_service_says_how_to_get_one(client, now):
    other = SpaceFactory()
    builders.grant(other, MARTIN, "declarer_tva")
    steps.enter(client, other)
    page = client.get("/espace/entreprise/comptes-bancaires")
    assert page.status_code == 200
    assert "Adhérer aux services" in page.content.decode()


def test_r_bank_1_empty_list(logged):
    page = logged.get(bank.accounts_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Aucun compte bancaire n'est enregistré" in text
    assert bank.add_url() in text


# --- Add → recap → Confirmer ---

def test_r_bank_1_add_recap_confirm_then_listed_pending(logged, space, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        recap, confirmed = add(logged)
    assert recap.status_code == 200
    text = recap.content.decode()
    assert "FR76 3000 6000 0112 3456 7890 189" in text  # the owner's own recap: whole
    assert "SARL MARTIN DISTRIBUTION" in text and "25000 BESANÇON" in text
    assert confirmed.status_code == 302 and confirmed["Location"] == bank.accounts_url()
    account = BankAccount.objects.get()
    assert account.iban == IBAN and account.bic == "" and account.holder == "SARL MARTIN DISTRIBUTION"
    assert account.holder_address == ["10 RUE DE L'ÉGLISE", "25000 BESANÇON", "FRANCE"]
    assert account.iban_masked == "FR** **** **** **** **** ***0 189"
    assert IBAN not in account.iban_encrypted
    assert (account.core_status, account.b2b_status) == (MandateStatus.VALID, MandateStatus.PENDING)
    assert account.created_by == space and account.created_at == NOW
    assert account.mandate_confirmed_at is None and account.removed_at is None
    page = logged.get(bank.accounts_url()).content.decode()
    assert escape(message("bank_account_added")) in page
    assert "FR** **** **** **** **** ***0 189" in page and IBAN not in page and "3000 6000" not in page
    assert account.rum in page and "En attente du mandat signé" in page and "Valide" in page
    assert bank.mandate_url(account) in page and bank.remove_url(account) in page
    assert DRAFT_KEY not in logged.session


def test_r_bank_1_add_outside_the_eea_with_its_bic(logged):
    iban, bic = OUTSIDE_EEA_IBANS["CH"]
    refused = logged.post(bank.add_url(), {**FORM, "iban": iban})
    assert refused.status_code == 400
    assert escape(message("bic_required")) in refused.content.decode()
    add(logged, iban=sepa.grouped(iban), bic=bic.lower())
    account = BankAccount.objects.get()
    assert (account.iban, account.bic) == (iban, bic)


def test_r_bank_1_refused_form_by_the_field_nothing_kept(logged):
    answer = logged.post(bank.add_url(), {**FORM, "iban": "FR7630006000011234567890188"})
    assert answer.status_code == 400
    assert escape(message("iban_checksum")) in answer.content.decode()
    assert DRAFT_KEY not in logged.session
    assert logged.get(bank.recap_url()).status_code == 302  # no draft: back to the form
    assert not BankAccount.objects.exists()


def test_r_bank_1_previous_step_comes_back_with_the_draft(logged):
    logged.post(bank.add_url(), {**FORM, "complement": "Bâtiment B"})
    page = logged.get(bank.add_url()).content.decode()
    assert 'value="FR76 3000 6000 0112 3456 7890 189"' in page
    assert 'value="Bâtiment B"' in page and 'value="25000 BESANÇON"' in page


def test_r_bank_1_the_iban_never_sits_in_clear_in_the_session(logged):
    logged.post(bank.add_url(), FORM)
    stored = "".join(Session.objects.values_list("session_data", flat=True))
    assert DRAFT_KEY in logged.session
    assert IBAN not in logged.session[DRAFT_KEY] and IBAN not in stored
    assert "3000 6000" not in logged.session[DRAFT_KEY]


def test_r_bank_1_a_draft_for_one_dossier_is_no_draft_for_another(logged, space):
    bank.payer(space, DUPONT)
    logged.post(bank.add_url(), FORM)
    assert logged.get(bank.recap_url(DUPONT)).status_code == 302
    assert logged.post(bank.recap_url(DUPONT))["Location"] == bank.add_url(DUPONT)
    assert not BankAccount.objects.exists()


def test_r_bank_1_a_tampered_draft_is_no_draft(logged):
    logged.post(bank.add_url(), FORM)
    session = logged.session
    session[DRAFT_KEY] = session[DRAFT_KEY][:-4] + "AAAA"
    session.save()
    assert logged.post(bank.recap_url())["Location"] == bank.add_url()
    session[DRAFT_KEY] = {"iban": IBAN}
    session.save()
    assert logged.get(bank.recap_url())["Location"] == bank.add_url()
    assert not BankAccount.objects.exists()


def test_r_bank_1_the_same_account_twice_is_refused_at_confirmer(logged):
    add(logged)
    recap, confirmed = add(logged, iban=IBAN)
    assert confirmed.status_code == 409
    assert escape(message("bank_account_duplicate")) in confirmed.content.decode()
    assert BankAccount.objects.count() == 1


def test_r_bank_1_a_removed_account_may_be_added_again_with_a_new_rum(logged, space):
    first = bank.add_account(space)
    logged.post(bank.remove_url(first))
    add(logged)
    again = BankAccount.objects.get(removed_at__isnull=True)
    assert again.rum != first.rum and again.iban == first.iban


# --- Remove ---

def test_r_bank_1_remove_asks_first_then_revokes_and_hides(logged, space, django_capture_on_commit_callbacks):
    account = bank.add_account(space)
    confirm = logged.get(bank.remove_url(account))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert account.iban_masked in text and IBAN not in text and "Les mandats de ce compte seront révoqués" in text
    assert BankAccount.objects.get().removed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        removed = logged.post(bank.remove_url(account))
    assert removed.status_code == 302 and removed["Location"] == bank.accounts_url()
    account.refresh_from_db()
    assert account.removed_at == NOW
    assert (account.core_status, account.b2b_status) == (MandateStatus.REVOKED, MandateStatus.REVOKED)
    page = logged.get(bank.accounts_url()).content.decode()
    assert escape(message("bank_account_removed", iban=account.iban_masked)) in page
    assert account.rum not in page
    assert logged.get(bank.remove_url(account)).status_code == 404
    assert logged.get(bank.mandate_url(account)).status_code == 404


def test_r_bank_1_remove_twice_at_once_is_done_once(space, now):
    from entreprise.services import bank_accounts

    account = bank.add_account(space)
    bank_accounts.remove(request=None, actor=space, account=account, now=now)
    bank_accounts.remove(request=None, actor=space, account=account, now=now)
    assert AuditEvent.objects.filter(kind=Event.BANK_ACCOUNT_REMOVED).count() == 1


# --- Audit (R-AUDIT-2) and emails ---

def test_r_audit_2_add_and_remove_audited_for_every_manager_and_emailed(
    logged, space, now, django_capture_on_commit_callbacks
):
    suppleant = SpaceFactory(contact_email="suppleant@exemple.fr", last_name="DURAND", first_name="Paul")
    bank.payer(suppleant, role=Role.SUPPLEANT, granted_by=space)
    delegate = SpaceFactory(contact_email="delegataire@exemple.fr")
    bank.payer(delegate, code="payer_cfe", role=Role.DELEGATAIRE, granted_by=space)
    with django_capture_on_commit_callbacks(execute=True):
        add(logged)
    account = BankAccount.objects.get()
    dossier = Dossier.objects.get(siren=MARTIN)
    added = AuditEvent.objects.filter(kind=Event.BANK_ACCOUNT_ADDED)
    assert sorted(added.values_list("space_id", flat=True)) == sorted([space.pk, suppleant.pk])
    for event in added:
        assert (event.subject_type, event.subject_id) == ("dossiers.dossier", str(dossier.pk))
        assert event.detail["iban"] == account.iban_masked and event.detail["rum"] == account.rum
    assert "ROSEMONDE Lila" in added.get(space=suppleant).detail["party"]  # the other party, by name
    assert "DURAND Paul" in added.get(space=space).detail["party"]
    assert audit.label(Event.BANK_ACCOUNT_ADDED) == "Compte bancaire ajouté"
    [(subject, body)] = bank.emails_to(EMAIL)
    assert subject == "Un compte bancaire a été ajouté à votre espace professionnel"
    assert "Vous avez ajouté le compte bancaire FR** **** **** **** **** ***0 189" in body and account.rum in body
    assert "SARL MARTIN DISTRIBUTION (SIREN 732 829 320)" in body
    [(_, told)] = bank.emails_to("suppleant@exemple.fr")
    assert "ROSEMONDE Lila a ajouté" in told and EMAIL not in told
    assert bank.emails_to("delegataire@exemple.fr") == []  # a délégataire is not concerned
    with django_capture_on_commit_callbacks(execute=True):
        logged.post(bank.remove_url(account))
    removed = AuditEvent.objects.filter(kind=Event.BANK_ACCOUNT_REMOVED)
    assert sorted(removed.values_list("space_id", flat=True)) == sorted([space.pk, suppleant.pk])
    assert [subject for subject, _ in bank.emails_to("suppleant@exemple.fr")][-1] == (
        "Un compte bancaire a été supprimé de votre espace professionnel"
    )


def test_r_audit_2_shown_in_the_security_history(logged, space):
    bank.add_account(space)
    page = logged.get("/espace/historique").content.decode()
    assert "Compte bancaire ajouté" in page and "SARL MARTIN DISTRIBUTION" in page


def test_r_bank_1_no_whole_iban_in_outbox_audit_or_logs(logged, space, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        add(logged)
        account = BankAccount.objects.get()
        logged.get(bank.mandate_url(account))
        logged.post(bank.remove_url(account))
    grouped = sepa.grouped(IBAN)
    texts = [bank.all_email_text(), caplog.text, repr(list(AuditEvent.objects.values_list("detail", flat=True)))]
    for text in texts:
        assert IBAN not in text and grouped not in text and "30006000011234567890" not in text
    assert OutboxEmail.objects.count() >= 2
