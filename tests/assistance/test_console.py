"""R-AST-1: find a space, see its state and history, act within limits; the network restriction;
never a secret on any page of the console."""

import re
from datetime import timedelta

import pytest
from django.test import Client, TestCase

from assistance.events import Kind as Event
from codes.models import OutboxLetter, PendingRequest
from codes.process import CodeProcess
from core import clock
from core.models import AuditEvent
from core.throttle import Throttle
from habilitations.events import Kind as HabilitationEvent
from habilitations.models import Delegation, Suppleance
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from accounts.kinds import Kind as RequestKind
from tests.accounts.journey import login as space_login
from tests.assistance.console import agent_client
from tests.entreprise import bank
from tests.factories import STRONG_PASSWORD, TRUST_ANSWER, SpaceFactory
from tests.habilitations import builders

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(clock.now().replace(microsecond=0), tick=False)
    return time_machine


@pytest.fixture
def agent(client, now):
    agent_client(client, now)
    return client


def lock(space, settings, address="198.51.100.9"):
    """Block the space's logins as wrong passwords would (core.throttle directly)."""
    throttle = Throttle.default()
    for _ in range(settings.THROTTLE_POLICIES["account_failures"]["free_failures"]):
        throttle.failed(account=space.login_email, address=address)


def test_r_throttle_1_state_reads_without_counting(settings, now):
    throttle = Throttle.default()
    assert throttle.state(account="a@exemple.fr").failures == 0
    throttle.failed(account="a@exemple.fr", address=None)
    first = throttle.state(account="a@exemple.fr")
    assert first.failures == 1 and first.blocked_until is None
    assert throttle.state(account="a@exemple.fr") == first  # reading changed nothing
    for _ in range(settings.THROTTLE_POLICIES["account_failures"]["free_failures"]):
        throttle.failed(account="a@exemple.fr", address=None)
    assert throttle.state(account="a@exemple.fr").blocked_until > clock.now()


def test_r_ast_1_search_by_number_email_siren_and_name(agent, companies, now):
    space = SpaceFactory(login_email=EMAIL, contact_email="contact@exemple.fr", last_name="Rosemonde")
    other = SpaceFactory(last_name="Dupont", company_identifier=companies.DUPONT)
    builders.grant(space, companies.MARTIN, "declarer_tva", name="SARL MARTIN")
    for query, expected in (
        (space.subscriber_number, [space]),
        (EMAIL.upper(), [space]),
        ("contact@exemple.fr", [space]),
        ("732 829 320", [space]),
        (companies.DUPONT, [other]),
        ("rosemonde", [space]),
        ("personne", []),
    ):
        page = agent.get("/assistance/", {"q": query}).content.decode()
        numbers = re.findall(r"/assistance/espaces/(\d{14})", page)
        assert numbers == [found.subscriber_number for found in expected], query
        if not expected:
            assert "Aucun espace ne correspond" in page
    empty = agent.get("/assistance/", {"q": "  "})
    assert empty.status_code == 400 and "Saisissez un numéro" in empty.content.decode()


def test_r_ast_1_unknown_space_is_a_404(agent):
    for number in ("00000000000000", "abc", "1" * 30):
        assert agent.get(f"/assistance/espaces/{number}").status_code == 404
        assert agent.get(f"/assistance/espaces/{number}/historique").status_code == 404


@pytest.fixture
def filled(settings, companies, spool, now):
    """A space holding known secrets: its password, trust answer, a pending email code and a
    letter's code, with habilitations, a suppléance, a delegation, a lock."""
    space = SpaceFactory(login_email=EMAIL, last_name="Rosemonde")
    titulaire = SpaceFactory(last_name="Dupont", first_name="Jean")
    builders.grant(space, companies.MARTIN, "declarer_tva", name="SARL MARTIN DISTRIBUTION")
    builders.grant(titulaire, companies.DUPONT, "payer_cfe", name="DUPONT ET FILS")
    dupont = builders.dossier(companies.DUPONT)
    Suppleance.objects.create(dossier=dupont, titulaire=titulaire, suppleant=space, created_at=clock.now(), changed_at=clock.now())
    delegation = Delegation.objects.create(
        dossier=dupont, grantor=titulaire, delegate=space, created_at=clock.now(),
        answer_by=clock.now() + timedelta(days=30), state=Delegation.State.ACCEPTED,
    )  # fmt: skip
    delegation.services.set([builders.service("payer_cfe")])
    asked, letter_code = builders.request_with_code(space, companies.DUPONT, spool, codes=("declarer_tva",))
    with TestCase.captureOnCommitCallbacks(execute=True):
        process = CodeProcess.initiate(kind=RequestKind.EMAIL_CHANGE, email="nouvelle@exemple.fr", payload={}, now=clock.now(), space=space)
    body = decrypt_body(OutboxEmail.objects.order_by("-id").first())
    email_code = re.search(r"^\s*([A-Za-z0-9]{12})\s*$", body, re.M).group(1)
    lock(space, settings)
    # A bank account it added (R-BANK-1): the console shows its IBAN masked, never whole.
    account = bank.add_account(space)
    return {
        "space": space,
        "asked": asked,
        "pending": process.pending,
        "account": account,
        "secrets": [STRONG_PASSWORD, TRUST_ANSWER, letter_code, email_code, bank.IBAN, bank.FORM["iban"].upper(),
                    account.iban_encrypted, account.iban_digest],
    }


def test_r_ast_1_a_space_page_shows_its_state(agent, filled):
    space = filled["space"]
    page = agent.get(f"/assistance/espaces/{space.subscriber_number}").content.decode()
    assert "Connexion bloquée jusqu'au" in page and "5 échecs consécutifs" in page
    assert EMAIL in page and "Quel est votre surnom ?" in page
    assert f"{space.password_expires_on:%d/%m/%Y}" in page
    assert "Demandes en attente d&#x27;un code" in page
    assert "552 081 317 DUPONT ET FILS" in page and "Renvoyer le courrier" in page
    reference = OutboxLetter.objects.get().reference
    assert reference in page
    assert '<td data-label="État">Actif</td>' in page and "Acceptée" in page and "Payer › CFE" in page
    assert "Mme DUPONT Jean" in page


def test_r_ast_1_no_page_of_the_console_shows_a_secret(agent, filled, now):
    space, asked = filled["space"], filled["asked"]
    number = space.subscriber_number
    agent.post(f"/assistance/espaces/{number}/actions/lever-delai", {"reason": "Appel de l'usager, identité vérifiée"})
    confirmed = agent.post(
        f"/assistance/espaces/{number}/actions/confirmer-mandat/{filled['account'].pk}", {"reason": "Courriel de la banque"}
    )
    assert confirmed.status_code == 302
    assert filled["account"].iban_masked in agent.get(f"/assistance/espaces/{number}").content.decode()
    pages = [
        "/assistance/",
        f"/assistance/?q={number}",
        f"/assistance/?q={EMAIL}",
        f"/assistance/espaces/{number}",
        f"/assistance/espaces/{number}/historique",
        f"/assistance/espaces/{number}/historique?kind={Event.DELAY_LIFTED}",
        f"/assistance/espaces/{number}/actions/lever-delai",
        f"/assistance/espaces/{number}/actions/renvoyer-courrier/{asked.pk}",
        f"/assistance/espaces/{number}/actions/confirmer-mandat/{filled['account'].pk}",
        "/assistance/historique",
    ]
    hidden = filled["secrets"] + [
        space.password,
        space.trust_answer_hash,
        filled["pending"].code_hash,
        OutboxLetter.objects.get().context_encrypted,
    ] + list(PendingRequest.objects.values_list("code_hash", flat=True))
    hidden = [secret for secret in hidden if secret]  # a letter's context is wiped once handed over
    assert len(hidden) >= 11
    for path in pages:
        response = agent.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for secret in hidden:
            assert secret not in html, (path, secret[:6])


def test_r_ast_1_lift_delay_audited_with_reason_then_the_user_logs_in(agent, filled, settings):
    space = filled["space"]
    number = space.subscriber_number
    assert "Trop de tentatives" in space_login(Client(), EMAIL, STRONG_PASSWORD).content.decode()
    confirm = agent.get(f"/assistance/espaces/{number}/actions/lever-delai")
    assert confirm.status_code == 200 and "Motif" in confirm.content.decode()
    short = agent.post(f"/assistance/espaces/{number}/actions/lever-delai", {"reason": "ok"})
    assert short.status_code == 400 and "de 5 à 500 caractères" in short.content.decode()
    assert Throttle.default().state(account=EMAIL).blocked_until is not None
    done = agent.post(f"/assistance/espaces/{number}/actions/lever-delai", {"reason": "Appel du 3 décembre,\n identité vérifiée"})
    assert done.status_code == 302 and done.url == f"/assistance/espaces/{number}"
    event = AuditEvent.objects.get(kind=Event.DELAY_LIFTED)
    assert event.space == space
    assert event.detail == {
        "action": "lever-delai",
        "agent": "agent.martin@dgfip.exemple.fr",
        "agent_name": "Claire Martin",
        "reason": "Appel du 3 décembre, identité vérifiée",
    }
    assert Throttle.default().state(account=EMAIL).blocked_until is None
    assert space_login(Client(), EMAIL, STRONG_PASSWORD).status_code == 302
    history = agent.get("/assistance/historique").content.decode()
    assert "Claire Martin" in history and "Lever le délai de connexion" in history and number in history
    assert "Appel du 3 décembre, identité vérifiée" in history


def test_r_ast_1_the_space_sees_action_de_l_assistance_in_its_history(agent, filled):
    space = filled["space"]
    agent.post(f"/assistance/espaces/{space.subscriber_number}/actions/lever-delai", {"reason": "Demande au téléphone"})
    owner = Client()
    Throttle.default().lift(account=EMAIL)
    space_login(owner, EMAIL, STRONG_PASSWORD)
    history = owner.get("/espace/historique").content.decode()
    assert "Action de l&#x27;assistance" in history or "Action de l'assistance" in history
    assert "Demande au téléphone" not in history and "Claire Martin" not in history


def test_r_ast_1_resend_a_pending_letter_once(agent, filled, spool, django_capture_on_commit_callbacks):
    space, asked = filled["space"], filled["asked"]
    path = f"/assistance/espaces/{space.subscriber_number}/actions/renvoyer-courrier/{asked.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        done = agent.post(path, {"reason": "Courrier jamais reçu selon l'usager"})
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.resends == 1 and OutboxLetter.objects.count() == 2
    event = AuditEvent.objects.get(kind=Event.LETTER_RESENT)
    assert event.space == space and event.detail["reason"] == "Courrier jamais reçu selon l'usager"
    assert event.subject_id == str(asked.dossier_id)
    assert AuditEvent.objects.filter(kind=HabilitationEvent.LETTER_RESENT).count() == 1
    page = agent.get(f"/assistance/espaces/{space.subscriber_number}").content.decode()
    assert all(letter.reference in page for letter in OutboxLetter.objects.all())
    again = agent.post(path, {"reason": "Encore une fois"})
    assert again.status_code == 400 and "déjà été renvoyé" in again.content.decode()
    assert AuditEvent.objects.filter(kind=Event.LETTER_RESENT).count() == 1


def test_r_ast_1_actions_on_what_the_space_does_not_hold_are_404(agent, filled, companies):
    space = filled["space"]
    number = space.subscriber_number
    stranger = SpaceFactory()
    theirs = builders.request(stranger, companies.MARTIN, codes=("consulter_compte_fiscal",))
    for path in (
        f"/assistance/espaces/{number}/actions/renvoyer-courrier/{theirs.pk}",
        f"/assistance/espaces/{number}/actions/renvoyer-courrier/999999",
        f"/assistance/espaces/{number}/actions/renvoyer-courrier",
        f"/assistance/espaces/{number}/actions/lever-delai/{filled['asked'].pk}",
        f"/assistance/espaces/{number}/actions/supprimer",
    ):
        assert agent.get(path).status_code == 404, path
        assert agent.post(path, {"reason": "motif valable"}).status_code == 404, path
    assert not AuditEvent.objects.filter(kind__startswith="assistance.", space__isnull=False).exists()


def test_r_ast_1_lift_refused_for_a_certificate_space(agent, now):
    space = SpaceFactory(access_mode="certificate", login_email=None, contact_email="certificat@exemple.fr")
    page = agent.get(f"/assistance/espaces/{space.subscriber_number}").content.decode()
    assert "pas d'accès par mot de passe" in page.replace("&#x27;", "'")
    refused = agent.post(f"/assistance/espaces/{space.subscriber_number}/actions/lever-delai", {"reason": "un motif"})
    assert refused.status_code == 400 and "pas d&#x27;accès par mot de passe" in refused.content.decode()
    assert not AuditEvent.objects.filter(kind=Event.DELAY_LIFTED).exists()


def test_r_ast_1_space_history_filters_and_pages(agent, settings, now):
    settings.ASSISTANCE_PAGE_SIZE = 2
    space = SpaceFactory(login_email=EMAIL)
    for days in (0, 1, 2, 40):
        AuditEvent.objects.create(at=clock.now() - timedelta(days=days), kind="accounts.login_ok", space=space, detail={})
    AuditEvent.objects.create(at=clock.now(), kind="accounts.logout", space=space, detail={})
    base = f"/assistance/espaces/{space.subscriber_number}/historique"
    first = agent.get(base).content.decode()
    assert first.count('value="accounts.login_ok"') == 1  # each kind offered once
    assert "Page 1 sur 3" in first and first.count("<tr>") == 3
    logins = agent.get(base, {"kind": "accounts.login_ok"}).content.decode()
    assert "Page 1 sur 2" in logins and "<td>Déconnexion</td>" not in logins and "kind=accounts.login_ok&amp;page=2" in logins
    today = clock.paris(clock.now()).date()
    recent = agent.get(base, {"start": (today - timedelta(days=2)).isoformat(), "end": today.isoformat()}).content.decode()
    assert "Page 1 sur 2" in recent
    old = agent.get(base, {"end": (today - timedelta(days=30)).isoformat()}).content.decode()
    assert old.count("<tr>") == 2  # header + the one 40 days old
    for bad in ({"kind": "inconnu"}, {"start": "hier"}, {"end": "9999-12-31"}, {"start": "0001-01-01"}, {"page": "x"}):
        response = agent.get(base, bad)
        assert response.status_code == (200 if "page" in bad else 400), bad


@pytest.mark.parametrize("networks", [["10.0.0.0/8"], ["10.0.0.0/8", "pas-un-reseau"]])
def test_r_ast_1_outside_assistance_networks_every_url_is_a_404(client, settings, now, networks):
    settings.ASSISTANCE_NETWORKS = networks
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    outside = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    inside = {"HTTP_X_FORWARDED_FOR": "10.1.2.3"}
    for path in ("/assistance/", "/assistance", "/assistance/connexion", "/assistance/inexistant", "/assistance/enrolement/x"):
        assert client.get(path, **outside).status_code == 404, path
    assert client.post("/assistance/connexion", {"email": "a@b.fr"}, **outside).status_code == 404
    assert client.get("/assistance/connexion", **inside).status_code == 200
    # A forwarded header from an untrusted peer is not believed.
    settings.TRUSTED_PROXIES = []
    assert client.get("/assistance/connexion", **inside).status_code == 404
    # The rest of the site does not care.
    assert client.get("/", **outside).status_code == 200


def test_r_ast_1_no_network_configured_means_no_restriction(client, settings):
    settings.ASSISTANCE_NETWORKS = []
    assert client.get("/assistance/connexion", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 200


def test_r_ast_1_no_address_is_outside(rf, settings):
    from assistance.sessions import allowed_network

    settings.ASSISTANCE_NETWORKS = ["10.0.0.0/8"]
    request = rf.get("/assistance/")
    request.META["REMOTE_ADDR"] = ""
    assert not allowed_network(request)


def test_r_ast_1_what_an_agent_looks_at_is_recorded_naming_the_agent(agent):
    """R-AST-1: every agent action names the agent, a search or a consultation too; the agents'
    history shows them, the space's own history does not (it is not the space's doing)."""
    space = SpaceFactory(login_email=EMAIL)
    number = space.subscriber_number
    assert agent.get("/assistance/", {"q": EMAIL}).status_code == 200
    assert agent.get(f"/assistance/espaces/{number}").status_code == 200
    assert agent.get(f"/assistance/espaces/{number}/historique").status_code == 200
    assert agent.get("/assistance/", {"q": "inconnu@exemple.fr"}).status_code == 200
    looked = AuditEvent.objects.filter(kind__startswith="assistance.s").order_by("id")
    assert [event.kind for event in looked] == [
        Event.SEARCHED, Event.SPACE_VIEWED, Event.SPACE_HISTORY_VIEWED, Event.SEARCHED
    ]
    assert all(event.detail["agent"] == "agent.martin@dgfip.exemple.fr" for event in looked)
    assert all(event.detail["agent_name"] == "Claire Martin" for event in looked)
    assert all(event.space is None for event in looked)
    assert looked[0].detail["query"] == EMAIL and looked[0].detail["found"] == 1
    assert looked[1].subject_id == str(space.pk) and looked[1].detail["number"] == number
    history = agent.get("/assistance/historique").content.decode()
    assert "Consultation de l&#x27;espace" in history and "Consultation de l&#x27;historique de l&#x27;espace" in history
    assert f"« {EMAIL} » : 1 espace(s) trouvé(s)" in history
    assert "« inconnu@exemple.fr » : 0 espace(s) trouvé(s)" in history
    assert f'href="/assistance/espaces/{number}"' in history
    owner = Client()
    assert space_login(owner, EMAIL, STRONG_PASSWORD).status_code == 302
    own = owner.get("/espace/historique").content.decode()
    assert "Consultation" not in own and "Claire Martin" not in own


def test_r_ast_1_an_invalid_search_records_nothing(agent):
    assert agent.get("/assistance/", {"q": ""}).status_code in (200, 400)
    assert not AuditEvent.objects.filter(kind=Event.SEARCHED).exists()
