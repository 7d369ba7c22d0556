"""R-BANK-1, R-HAB-2: only the titulaire or an active suppléant of a *Payer* service of the
dossier sees its bank accounts. A délégataire, a suppléant on hold, a titulaire of other
services only, an ended habilitation, another space: 404 on every URL, GET and POST, nothing
written; the IDOR walker asks every entreprise URL with another space's ids."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from core.models import AuditEvent
from entreprise.models import BankAccount
from habilitations.models import Role
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.companies import DUPONT, MARTIN
from tests.entreprise import bank
from tests.entreprise.bank import FORM
from tests.factories import SpaceFactory
from tests.habilitations import builders, idor, steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def owner(now):
    owner = SpaceFactory(contact_email="titulaire@exemple.fr")
    bank.payer(owner)
    return owner


@pytest.fixture
def account(owner):
    return bank.add_account(owner)


def urls(account) -> list[str]:
    return [
        bank.accounts_url(),
        bank.add_url(),
        bank.recap_url(),
        bank.mandate_url(account),
        bank.remove_url(account),
    ]


def GET_ONLY(account) -> set[str]:
    return {bank.accounts_url(), bank.mandate_url(account)}


def rows() -> tuple:
    return (
        list(BankAccount.objects.order_by("pk").values_list("pk", "b2b_status", "core_status", "removed_at")),
        AuditEvent.objects.filter(kind__startswith="entreprise.").count(),
        OutboxEmail.objects.count(),
    )


def assert_refused_everywhere(client, account):
    before = rows()
    for url in urls(account):
        assert client.get(url).status_code == 404, url
        # A method the view does not take is refused before anything is looked up (405).
        assert client.post(url, FORM).status_code == (405 if url in GET_ONLY(account) else 404), url
    assert rows() == before


def delegataire(owner):
    space = SpaceFactory()
    bank.payer(space, role=Role.DELEGATAIRE, granted_by=owner, ends_on=NOW.date() + timedelta(days=30))
    return space


def on_hold_suppleant(owner):
    space = SpaceFactory()
    bank.payer(space, role=Role.SUPPLEANT, granted_by=owner, on_hold=True)
    return space


def titulaire_of_other_services(owner):
    space = SpaceFactory()
    builders.grant(space, MARTIN, "declarer_tva")
    return space


def ended_titulaire(owner):
    space = SpaceFactory()
    bank.payer(space, code="payer_cfe", ended_at=NOW - timedelta(days=1))
    return space


def other_space(owner):
    space = SpaceFactory()
    bank.payer(space, DUPONT)
    return space


@pytest.mark.parametrize(
    "who", [delegataire, on_hold_suppleant, titulaire_of_other_services, ended_titulaire, other_space]
)
def test_r_bank_1_refused_is_404_everywhere_and_writes_nothing(client, owner, account, who):
    steps.enter(client, who(owner))
    assert_refused_everywhere(client, account)


def test_r_bank_1_a_delegataire_is_not_offered_the_dossier(client, owner):
    steps.enter(client, delegataire(owner))
    page = client.get("/espace/entreprise/comptes-bancaires")
    assert page.status_code == 200 and bank.accounts_url() not in page.content.decode()


def test_r_bank_1_an_active_suppleant_manages_them(client, owner, account):
    suppleant = SpaceFactory()
    bank.payer(suppleant, role=Role.SUPPLEANT, granted_by=owner)
    steps.enter(client, suppleant)
    assert client.get(bank.accounts_url()).status_code == 200
    assert client.get(bank.mandate_url(account)).status_code == 200


def test_r_bank_1_another_dossier_s_account_id_under_my_siren_is_404(client, owner, account):
    theirs = SpaceFactory()
    bank.payer(theirs, DUPONT)
    their_account = bank.add_account(theirs, DUPONT)
    steps.enter(client, owner)
    before = rows()
    for url in (bank.mandate_url(their_account), bank.remove_url(their_account)):  # under MARTIN
        assert client.get(url).status_code == 404
        assert client.post(url).status_code in (404, 405)
    assert rows() == before


def test_r_bank_1_anonymous_sent_to_the_login(client, account):
    for url in urls(account):
        assert client.get(url).status_code in (302, 404)
    assert not client.get(bank.accounts_url()).status_code == 200


def logged_in(email):
    client = Client(raise_request_exception=False)
    space = SpaceFactory(login_email=email)
    assert journey.login(client, email).status_code == 302
    return client, space


def test_r_hab_2_idor_walker_covers_every_entreprise_url_with_an_id(settings, tmp_path, companies):
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    client, mine = logged_in("lila.rosemonde@exemple.fr")
    owner_client, theirs = logged_in("autre.espace@exemple.fr")
    world = idor.build_world(mine, theirs)
    found = [route for route in idor.routes() if route.name.startswith("entreprise:bank")]
    assert {route.name for route in idor.with_ids(found)} == {
        "entreprise:bank_accounts", "entreprise:bank_account_add", "entreprise:bank_account_recap",
        "entreprise:bank_mandate", "entreprise:bank_account_remove",
    }
    idor.their_bank_account(world)
    before = rows()
    walked = idor.walk(client, world, found, owner_client=owner_client)
    assert walked.problems == []
    assert len(walked.checked) == 5
    banked = rows()
    # The owner's GETs (the walker's proof that each URL is real) audit one mandate edited; A wrote nothing.
    assert banked[0] == before[0] and banked[2] == before[2]
    assert not AuditEvent.objects.filter(kind__startswith="entreprise.", space=mine).exists()


def test_r_bank_1_selectors_answer_nothing_without_the_right(owner, account):
    from entreprise import selectors
    from habilitations import policy

    assert list(selectors.bank_accounts(None)) == []
    assert selectors.bank_account(None, account.pk) is None
    allowed = policy.access(owner, MARTIN)
    assert list(selectors.bank_accounts(allowed)) == [account]
    for pk in ("abc", None, "1.5", 0, -1, 2**63):
        assert selectors.bank_account(allowed, pk) is None
    assert selectors.bank_account(allowed, str(account.pk)) == account
    assert str(account) == f"{account.iban_masked} ({account.rum})"


def test_r_bank_1_confirmer_without_a_draft_is_refused(rf, owner):
    from django.contrib.sessions.backends.db import SessionStore

    from entreprise.flows import bank_accounts as flow
    from habilitations import policy

    request = rf.post("/")
    request.user, request.session = owner, SessionStore()
    with pytest.raises(LookupError):
        flow.confirm(request, policy.access(owner, MARTIN))
