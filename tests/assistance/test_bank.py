"""R-AST-1 × R-BANK-1: the console shows a space's bank accounts (IBAN masked) and records a
bank's B2B mandate confirmation, naming the agent; refusals, CSRF, hostile input, IDOR."""

import pytest
from django.test import Client
from hypothesis import given

from assistance.events import Kind as Event
from core import clock
from core.models import AuditEvent
from entreprise.events import Kind as BankEvent
from entreprise.models import BankAccount, MandateStatus
from entreprise.services import bank_accounts
from habilitations.models import Role
from mailer.models import OutboxEmail
from tests.assistance.console import AGENT_EMAIL, AGENT_NAME, agent_client
from tests.companies import DUPONT, MARTIN
from tests.entreprise import bank
from tests.accounts.journey import login as space_login
from tests.factories import STRONG_PASSWORD, SpaceFactory
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
TITULAIRE = "titulaire.martin@exemple.fr"
ADDER = "suppleant.martin@exemple.fr"
REASON = "Courriel de la banque du 3 décembre, RUM vérifiée"
TITLE = "Enregistrer la confirmation du mandat B2B par la banque"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(clock.now().replace(microsecond=0), tick=False)
    return time_machine


@pytest.fixture
def agent(client, now):
    agent_client(client, now)
    return client


@pytest.fixture
def world(companies, now):
    """MARTIN's titulaire; a suppléant (Payer) who added an account; a stranger's account on DUPONT."""
    titulaire = SpaceFactory(contact_email=TITULAIRE, last_name="Martin")
    adder = SpaceFactory(contact_email=ADDER, last_name="Suppleant")
    bank.payer(titulaire)
    bank.payer(adder, role=Role.SUPPLEANT, granted_by=titulaire)
    account = bank.add_account(adder)
    stranger = SpaceFactory()
    bank.payer(stranger, siren=DUPONT)
    theirs = bank.add_account(stranger, siren=DUPONT, iban=bank.EEA_IBANS["DE"], holder="DUPONT ET FILS")
    return {"titulaire": titulaire, "adder": adder, "account": account, "theirs": theirs}


def path(space, account) -> str:
    return f"/assistance/espaces/{space.subscriber_number}/actions/confirmer-mandat/{account.pk}"


def test_r_ast_1_space_page_shows_bank_accounts_iban_masked(agent, world):
    account = world["account"]
    for space in (world["titulaire"], world["adder"]):
        page = agent.get(f"/assistance/espaces/{space.subscriber_number}").content.decode()
        assert "Comptes bancaires" in page and "732 829 320 SARL MARTIN DISTRIBUTION" in page
        assert account.iban_masked in page and account.rum in page and "SARL MARTIN DISTRIBUTION" in page
        assert "En attente du mandat signé" in page and TITLE in page and path(space, account) in page
        assert bank.IBAN not in page and world["theirs"].rum not in page
    # An account it added stays shown once it no longer manages the dossier, removed too.
    world["adder"].habilitations.update(ended_at=clock.now())
    bank_accounts.remove(request=None, actor=world["titulaire"], account=account, now=clock.now())
    page = agent.get(f"/assistance/espaces/{world['adder'].subscriber_number}").content.decode()
    assert account.rum in page and "Révoqué" in page and TITLE not in page


def test_r_ast_1_a_space_without_accounts(agent, now):
    page = agent.get(f"/assistance/espaces/{SpaceFactory().subscriber_number}").content.decode()
    assert "Aucun compte bancaire sur les dossiers de cet espace." in page


def test_r_ast_1_r_bank_1_confirm_mandate_journey(agent, world, django_capture_on_commit_callbacks):
    space, account = world["titulaire"], world["account"]
    confirm = agent.get(path(space, account))
    text = confirm.content.decode()
    assert confirm.status_code == 200 and TITLE in text and account.iban_masked in text and "Motif" in text
    assert bank.IBAN not in text
    short = agent.post(path(space, account), {"reason": "ok"})
    assert short.status_code == 400 and BankAccount.objects.get(pk=account.pk).b2b_status == MandateStatus.PENDING
    before = OutboxEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        done = agent.post(path(space, account), {"reason": REASON})
    assert done.status_code == 302 and done.url == f"/assistance/espaces/{space.subscriber_number}"
    account.refresh_from_db()
    assert account.b2b_status == MandateStatus.VALID and account.mandate_confirmed_at == clock.now()
    # The emails as confirm_mandate sends them: each manager and the one who added it, IBAN masked.
    assert OutboxEmail.objects.count() == before + 2
    for address in (TITULAIRE, ADDER):
        subject, body = bank.emails_to(address)[-1]
        assert subject == "Votre mandat de prélèvement SEPA interentreprises est enregistré"
        assert account.iban_masked in body and bank.IBAN not in body and "Valide" in body
    # The assistance's audit row: agent and reason; the bank rows name the agent as the other party.
    event = AuditEvent.objects.get(kind=Event.BANK_MANDATE_CONFIRMED)
    assert event.space == space and event.subject_id == str(account.dossier_id)
    assert event.detail == {
        "action": "confirmer-mandat", "agent": AGENT_EMAIL, "agent_name": AGENT_NAME, "reason": REASON,
    }
    rows = AuditEvent.objects.filter(kind=BankEvent.BANK_MANDATE_CONFIRMED)
    assert sorted(rows.values_list("space_id", flat=True)) == sorted([space.pk, world["adder"].pk])
    assert {row.detail["party"] for row in rows} == {f"Assistance : {AGENT_NAME}"}
    assert all(bank.IBAN not in str(row.detail) for row in rows)
    page = agent.get(f"/assistance/espaces/{space.subscriber_number}").content.decode()
    assert "Valide" in page and path(space, account) not in page
    history = agent.get("/assistance/historique").content.decode()
    assert AGENT_NAME in history and TITLE in history and REASON in history
    console_history = agent.get(f"/assistance/espaces/{space.subscriber_number}/historique").content.decode()
    assert "Action de l&#x27;assistance" in console_history and REASON in console_history
    # The space's own security history: "Action de l'assistance" and the bank row naming the agent.
    owner = Client()
    space_login(owner, space.login_email, STRONG_PASSWORD)
    own = owner.get("/espace/historique").content.decode()
    assert "Action de l&#x27;assistance" in own and f"Assistance : {AGENT_NAME}" in own and REASON not in own


def test_r_bank_1_the_command_still_names_the_administration(world, now):
    bank_accounts.confirm_mandate(rum=world["account"].rum, now=clock.now())
    rows = AuditEvent.objects.filter(kind=BankEvent.BANK_MANDATE_CONFIRMED)
    assert rows.count() == 2 and {row.detail["party"] for row in rows} == {"l'administration"}


@pytest.mark.parametrize("state", ["valid", "removed"])
def test_r_ast_1_confirm_refused_when_not_pending(agent, world, state):
    space, account = world["titulaire"], world["account"]
    if state == "valid":
        bank_accounts.confirm_mandate(rum=account.rum, now=clock.now())
        expected = "déjà enregistrée"
    else:
        bank_accounts.remove(request=None, actor=space, account=account, now=clock.now())
        expected = "a été supprimé"
    before = (AuditEvent.objects.count(), OutboxEmail.objects.count())
    snapshot = BankAccount.objects.filter(pk=account.pk).values().get()
    assert agent.get(path(space, account)).status_code == 200
    refused = agent.post(path(space, account), {"reason": REASON})
    assert refused.status_code == 400 and expected in refused.content.decode()
    assert (AuditEvent.objects.count(), OutboxEmail.objects.count()) == before
    assert BankAccount.objects.filter(pk=account.pk).values().get() == snapshot


def test_r_ast_1_confirm_refused_when_confirmed_meanwhile(agent, world, monkeypatch):
    """Another agent (or the command) confirmed it between the page's read and the lock."""
    space, account = world["titulaire"], world["account"]
    real = bank_accounts.confirm_mandate

    def first_someone_else(**kwargs):
        real(rum=kwargs["rum"], now=kwargs["now"])
        return real(**kwargs)

    monkeypatch.setattr(bank_accounts, "confirm_mandate", first_someone_else)
    refused = agent.post(path(space, account), {"reason": REASON})
    assert refused.status_code == 400 and "déjà enregistrée" in refused.content.decode()
    assert not AuditEvent.objects.filter(kind=Event.BANK_MANDATE_CONFIRMED).exists()


def test_r_ast_1_bank_account_of_no_space_or_typed_by_hand_is_404(agent, world):
    space = world["titulaire"]
    number = space.subscriber_number
    for url in (
        path(space, world["theirs"]),  # another dossier's account
        f"/assistance/espaces/{number}/actions/confirmer-mandat/999999",
        f"/assistance/espaces/{number}/actions/confirmer-mandat/0",
        f"/assistance/espaces/{number}/actions/confirmer-mandat/{2**63}",
        f"/assistance/espaces/{number}/actions/confirmer-mandat/{10**30}",
        f"/assistance/espaces/{number}/actions/confirmer-mandat",
        f"/assistance/espaces/{number}/actions/confirmer-mandat/abc",
        f"/assistance/espaces/{SpaceFactory().subscriber_number}/actions/confirmer-mandat/{world['account'].pk}",
    ):
        assert agent.get(url).status_code == 404, url
        assert agent.post(url, {"reason": REASON}).status_code == 404, url
    assert world["theirs"].b2b_status == BankAccount.objects.get(pk=world["theirs"].pk).b2b_status
    assert not AuditEvent.objects.filter(kind=Event.BANK_MANDATE_CONFIRMED).exists()


def test_r_ast_1_a_space_cookie_or_none_reaches_no_bank_action(world, now):
    url = path(world["titulaire"], world["account"])
    for client in (Client(), Client()):
        assert client.post(url, {"reason": REASON}).status_code in (302, 404)
    assert BankAccount.objects.get(pk=world["account"].pk).b2b_status == MandateStatus.PENDING


def test_r_ast_1_bank_action_refuses_a_post_without_csrf(agent, world):
    hostile = Client(enforce_csrf_checks=True)
    hostile.cookies = agent.cookies
    url = path(world["titulaire"], world["account"])
    assert hostile.get(url).status_code == 200  # the agent's session is carried
    assert hostile.post(url, {"reason": REASON}).status_code == 403
    assert BankAccount.objects.get(pk=world["account"].pk).b2b_status == MandateStatus.PENDING
    assert not AuditEvent.objects.filter(kind=Event.BANK_MANDATE_CONFIRMED).exists()


@FUZZ
@given(reason=HOSTILE)
def test_bank_action_reason_never_fails(agent, world, reason):
    account = BankAccount.objects.get(pk=world["account"].pk)
    url = path(world["titulaire"], account)
    before = AuditEvent.objects.filter(kind=Event.BANK_MANDATE_CONFIRMED).count()
    response = agent.post(url, {"reason": reason})
    assert response.status_code in (302, 400)
    written = AuditEvent.objects.filter(kind=Event.BANK_MANDATE_CONFIRMED).count() - before
    account.refresh_from_db()
    if response.status_code == 302:
        assert written == 1 and account.b2b_status == MandateStatus.VALID
        account.b2b_status, account.mandate_confirmed_at = MandateStatus.PENDING, None  # the next example
        account.save()
    else:
        assert written == 0 and account.b2b_status == MandateStatus.PENDING
    assert MARTIN in account.dossier.siren
