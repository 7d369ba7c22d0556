"""J16 "Supprimer mon espace professionnel" (R-DEL-SPACE-1, R-NUM-1, R-AUDIT-2) through the Django test client.

Refused while titulaire (R-SUB-1 first), the irrevocable warning, password + captcha, then the
tombstone: habilitations ended (their grantors emailed), requests and letters void, personal
data erased (a walk of every model), sessions ended, number retired, login as unknown.
"""

import html
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import models
from django.test import Client, TestCase
from hypothesis import given
from hypothesis import strategies as st

from accounts.flows import deletion as deletion_flow
from accounts.models import PasswordHistory, Space, SubscriberCounter
from accounts.services import deletion, numbers
from antirobot import services as captchas
from antirobot.testing import captcha_post_data
from codes import letters
from codes.models import OutboxLetter, PendingRequest
from core import clock
from core.messages import message
from core.models import AuditEvent
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Suppleance
from habilitations.services import adhesion, sharing
from mailer.models import OutboxEmail
from tests import companies
from tests.accounts import journey
from tests.accounts.coordinates_steps import CONFIRM_URL, DELETE_URL, mails_to
from tests.factories import STRONG_PASSWORD, SpaceFactory
from tests.habilitations.builders import delegation_rows, grant, suppleance_rows
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
EMAIL = "zephyrine.quatrebarbes@exemple.fr"
WRONG = "pas le bon mot de passe du tout"
# The departing space's data, chosen so that no other row of the test database holds them.
PERSON = {
    "civility": "MME",
    "last_name": "QUATREBARBES",
    "first_name": "Zéphyrine",
    "phone": "+33478901234",
    "street_number": "41",
    "street_type": "impasse",
    "street_name": "des Grands Zéphyrs",
    "address_complement": "Bâtiment Hélianthe",
    "postal_code": "42600",
    "city": "Montbrison-Hélianthe",
    "country": "FRANCE",
    "foreign_company": True,
    "company_identifier": "ZQ77X31415",
}
KNOWN_VALUES = [EMAIL, "QUATREBARBES", "Quatrebarbes", "Zéphyrine", "+33478901234", "04 78 90 12 34",
                "des Grands Zéphyrs", "Bâtiment Hélianthe", "Montbrison-Hélianthe", "ZQ77X31415"]
VARYING = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), ""),
    (re.compile(r'nonce="[^"]*"'), ""),
    (re.compile(rf"/captcha/{captchas.KEY_RE.pattern}/"), "/captcha/KEY/"),
    (re.compile(rf'value="{captchas.KEY_RE.pattern}"'), 'value="KEY"'),
    (re.compile(r'data-captcha-key="[^"]*"'), ""),
]


@pytest.fixture
def space(db, companies):
    space = SpaceFactory(login_email=EMAIL, **PERSON)
    PasswordHistory.objects.create(space=space, password_hash=make_password("un ancien mot de passe"), created_at=clock.now())
    return space


@pytest.fixture
def logged(client, space):
    assert journey.login(client, EMAIL).status_code == 302
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def confirm(client, password=STRONG_PASSWORD, **overrides):
    page = client.get(CONFIRM_URL)
    return client.post(CONFIRM_URL, {"current_password": password, **captcha_post_data(page), **overrides})


def normalised(response, email):
    body = response.content.decode().replace(email, "EMAIL")
    for pattern, replacement in VARYING:
        body = pattern.sub(replacement, body)
    return body


def login_attempt(email, password=STRONG_PASSWORD):
    return journey.login(Client(), email, password)


def intact(space) -> bool:
    space = Space.objects.get(pk=space.pk)
    return space.is_active and space.deleted_at is None and space.login_email == EMAIL and space.last_name == "QUATREBARBES"


# --- the entry, the refusal, the warning -------------------------------------------------------


def test_r_del_space_1_manage_links_to_the_page(logged):
    text_ = logged.get("/espace/gerer").content.decode()
    assert f'href="{DELETE_URL}"' in text_
    assert 'aria-disabled="true">Supprimer mon espace professionnel' not in text_


def test_r_del_space_1_anonymous_goes_to_login(client, space):
    for url in (DELETE_URL, CONFIRM_URL):
        assert client.get(url)["Location"] == "/"
    assert client.post(CONFIRM_URL, {"current_password": STRONG_PASSWORD})["Location"] == "/"
    assert client.get("/espace-supprime")["Location"] == "/"  # no deletion in this browser


def test_r_del_space_1_r_sub_1_refused_while_titulaire_with_the_services(logged, space):
    grant(space, companies.MARTIN, "declarer_tva", name="MARTIN SA")
    grant(space, companies.MARTIN, "declarer_is", name="MARTIN SA")
    page = logged.get(DELETE_URL)
    assert page.status_code == 200
    body = text(page)
    assert "Votre espace ne peut pas être supprimé" in body and "substitution du titulaire" in body
    table = body[body.index("<table>"):body.index("</table>")]
    assert "732 829 320" in table and "MARTIN SA" in table and "Déclarer › TVA" in table and "Impôt sur les sociétés" in table, table
    assert 'href="/espace/services/habilitations">Consulter mes services' in page.content.decode()
    assert CONFIRM_URL not in body
    # The form is not reachable, and a POST deletes nothing.
    assert logged.get(CONFIRM_URL)["Location"] == DELETE_URL
    assert logged.post(CONFIRM_URL, {"current_password": STRONG_PASSWORD})["Location"] == DELETE_URL
    assert intact(space)


def test_r_del_space_1_a_titulaire_row_ended_or_on_another_space_does_not_block(logged, space):
    other = SpaceFactory()
    grant(other, companies.MARTIN, "declarer_tva")
    grant(space, companies.DUPONT, "declarer_tva", ended_at=clock.now())
    assert "Ce que vous perdrez" in text(logged.get(DELETE_URL))


def test_r_del_space_1_warning_lists_what_will_be_lost(logged, space):
    titulaire = SpaceFactory(last_name="BERTHIER", first_name="Paul", civility="M")
    suppleance_rows(titulaire, space, companies.MARTIN, name="MARTIN SA")
    page = logged.get(DELETE_URL)
    assert page.status_code == 200
    body = text(page)
    for words in ("La suppression est définitive", space.subscriber_number, "il ne sera plus jamais attribué",
                  "les habilitations ci-dessous (1, comme suppléant ou délégataire)", "Administrateur suppléant", "BERTHIER Paul", "MARTIN SA",
                  "aucune demande en cours", "Les délégations que vous avez accordées restent en place",
                  "Votre adresse électronique pourra servir à créer un nouvel espace professionnel"):
        assert words in body, words
    assert f'href="{CONFIRM_URL}"' in page.content.decode()


def test_r_del_space_1_confirm_page_asks_password_and_captcha_with_csrf(logged):
    page = logged.get(CONFIRM_URL)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    body = page.content.decode()
    assert "csrfmiddlewaretoken" in body and 'name="current_password"' in body and 'name="captcha"' in body
    assert "Cette action est irréversible" in text(page)


# --- refusals: captcha, password, hostile input ------------------------------------------------


def test_r_del_space_1_wrong_captcha_checks_no_password_and_deletes_nothing(logged, space):
    response = confirm(logged, captcha="ZZZZZZ")
    assert response.status_code == 400
    assert "Les caractères saisis ne correspondent pas à l'image" in text(response)
    assert intact(space)
    assert not AuditEvent.objects.filter(kind="accounts.deletion_refused").exists()


def test_r_del_space_1_r_throttle_1_wrong_password_deletes_nothing_and_is_throttled(logged, space):
    for _ in range(5):
        response = confirm(logged, WRONG)
        assert response.status_code == 400
        assert message("current_password_refused") in text(response)
    assert intact(space)
    assert AuditEvent.objects.filter(kind="accounts.deletion_refused", detail__reason="wrong_password").count() == 5
    assert login_attempt(EMAIL).status_code == 400  # one counter per account: the login is blocked too
    response = confirm(logged)  # the right password, not even checked while blocked
    assert response.status_code == 400 and "Trop de tentatives" in text(response)
    assert intact(space)
    assert AuditEvent.objects.filter(kind="accounts.deletion_refused", detail__reason="throttled").count() == 1
    assert not mails_to(EMAIL, "Suppression")


@FUZZ
@given(password=HOSTILE, answer=HOSTILE)
def test_r_del_space_1_hostile_input_never_fails_and_deletes_nothing(logged, space, password, answer):
    if password == STRONG_PASSWORD:
        password = WRONG
    page = logged.get(CONFIRM_URL)
    data = {**captcha_post_data(page), "current_password": password}
    response = logged.post(CONFIRM_URL, data)
    assert response.status_code == 400
    response = logged.post(CONFIRM_URL, {**captcha_post_data(logged.get(CONFIRM_URL)), "captcha": answer,
                                         "current_password": STRONG_PASSWORD})
    assert response.status_code == 400  # no hostile value is the image's 6 characters
    assert intact(space)


def test_r_del_space_1_service_refuses_a_titulaire_and_writes_nothing(space):
    grant(space, companies.MARTIN, "declarer_tva")
    with pytest.raises(deletion.StillTitulaire) as refused:
        deletion.delete(space=space, now=clock.now())
    assert [row.service for row in refused.value.services] == ["Déclarer › TVA"]
    assert intact(space) and not OutboxEmail.objects.exists()


def test_r_del_space_1_titulaire_meanwhile_is_refused_by_the_flow(logged, space, monkeypatch):
    """A letter's code made the space titulaire between the page and the POST: refused, audited."""
    page = logged.get(CONFIRM_URL)
    grant(space, companies.MARTIN, "declarer_tva")
    monkeypatch.setattr(deletion_flow, "blocking", lambda space: [])  # the view's check came before
    response = logged.post(CONFIRM_URL, {"current_password": STRONG_PASSWORD, **captcha_post_data(page)})
    assert response["Location"] == DELETE_URL
    assert intact(space)
    assert AuditEvent.objects.filter(kind="accounts.deletion_refused", detail__reason="titulaire").count() == 1


# --- the deletion ------------------------------------------------------------------------------


@pytest.fixture
def world(space):
    """The departing space as a suppléant, a délégataire, offered a delegation, a grantor, with a request."""
    titulaire = SpaceFactory(civility="M", last_name="BERTHIER", first_name="Paul")
    grant(titulaire, companies.MARTIN, "declarer_tva", name="MARTIN SA")
    grantor = SpaceFactory(civility="M", last_name="CARRÉ", first_name="Jules")
    offerer = SpaceFactory(civility="MME", last_name="DUVAL", first_name="Anne")
    delegate = SpaceFactory(civility="M", last_name="ESNAULT", first_name="Marc")
    world = {
        "titulaire": titulaire,
        "grantor": grantor,
        "offerer": offerer,
        "delegate": delegate,
        "suppleance": suppleance_rows(titulaire, space, companies.MARTIN, name="MARTIN SA"),
        "accepted": delegation_rows(grantor, space, companies.DUPONT, ("declarer_tva", "declarer_is"), name="DUPONT"),
        "offered": delegation_rows(offerer, space, companies.DUPONT, ("declarer_ts",), accepted=False, name="DUPONT"),
        # A delegation the space granted (as a suppléant of MARTIN): it stays (choice).
        "given": delegation_rows(space, delegate, companies.MARTIN, ("declarer_tva",), name="MARTIN SA"),
        # Its pending adhesion request, whose letter is not handed over yet (no commit in a test).
        "adhesion": adhesion.request_adhesion(
            space=space, siren=companies.DUPONT, statut="representant_legal",
            service_codes=["consulter_compte_fiscal"], now=clock.now(),
        ),
    }
    OutboxEmail.objects.all().delete()  # what the set-up queued: the test reads the deletion's emails only
    return world


def test_r_del_space_1_journey_ends_everything_and_leaves_a_tombstone(logged, space, world):
    other_session = Client()
    assert journey.login(other_session, EMAIL).status_code == 302
    assert other_session.get("/espace").status_code == 200
    number = space.subscriber_number
    [letter] = OutboxLetter.objects.filter(status=OutboxLetter.Status.PENDING)

    with TestCase.captureOnCommitCallbacks(execute=False):
        response = confirm(logged)
    assert response.status_code == 302 and response["Location"] == "/espace-supprime"
    done = logged.get("/espace-supprime")
    assert done.status_code == 200 and "Votre espace professionnel a été supprimé." in text(done)

    # The tombstone (R-DEL-SPACE-1): the number stays, nothing that names a person does.
    space = Space.objects.get(pk=space.pk)
    assert not space.is_active and space.deleted_at is not None and space.login_email is None
    assert space.subscriber_number == number and not space.has_usable_password()
    assert (space.last_name, space.first_name, space.phone, space.city, space.contact_email) == ("", "", "", "", "")
    assert space.trust_answer_hash == "" and not PasswordHistory.objects.filter(space=space).exists()

    # Everything it held ended; what it granted stays.
    assert not Habilitation.objects.filter(space=space, ended_at__isnull=True).exists()
    suppleance = Suppleance.objects.get(pk=world["suppleance"].pk)
    assert suppleance.state == Suppleance.State.REMOVED and suppleance.ended_at is not None
    assert Delegation.objects.get(pk=world["accepted"].pk).state == Delegation.State.RENOUNCED
    assert Delegation.objects.get(pk=world["offered"].pk).state == Delegation.State.REFUSED
    given = Delegation.objects.get(pk=world["given"].pk)
    assert given.state == Delegation.State.ACCEPTED and given.grantor_id == space.pk
    assert Habilitation.objects.filter(space=world["delegate"], ended_at__isnull=True).count() == 1
    assert sharing.person(given.grantor) == "un espace supprimé"
    assert AdhesionRequest.objects.get(pk=world["adhesion"].pk).state == AdhesionRequest.State.CANCELLED
    assert not PendingRequest.objects.filter(space=space).exists()
    letter.refresh_from_db()
    assert letter.status == OutboxLetter.Status.FAILED and letter.context_encrypted == ""

    # The grantors are emailed, naming the space by its name, never its address.
    for other, words in ((world["titulaire"], "administrateur suppléant"), (world["grantor"], "délégataire"),
                         (world["offerer"], "délégataire")):
        [body] = mails_to(other.contact_email, "espace supprimé")
        assert "Madame QUATREBARBES Zéphyrine a supprimé son espace professionnel" in body and words in body
        assert EMAIL not in body
    [to_titulaire] = mails_to(world["titulaire"].contact_email, "espace supprimé")
    assert "- MARTIN SA (SIREN 732 829 320) : administrateur suppléant — Déclarer › TVA" in to_titulaire
    assert not mails_to(world["delegate"].contact_email, "espace supprimé")
    [last] = mails_to(EMAIL, "Suppression de votre espace")
    assert number in last and "ne sera jamais attribué" in last and "peut servir à créer un nouvel espace" in last

    # The audit log (R-AUDIT-2): the deletion, and each dossier × party in both histories.
    [deleted] = AuditEvent.objects.filter(kind="accounts.space_deleted", space=space)
    assert deleted.email == EMAIL and deleted.detail["habilitations"] == 3 and deleted.detail["letters"] == 1
    assert AuditEvent.objects.filter(kind="habilitations.habilitations_ended", space=space).count() == 3
    for other in (world["titulaire"], world["grantor"], world["offerer"]):
        [row] = AuditEvent.objects.filter(kind="habilitations.habilitations_ended", space=other)
        assert "QUATREBARBES" in row.detail["party"]
    assert AuditEvent.objects.filter(kind="habilitations.adhesion_cancelled", space=space).count() == 1

    # Every session ended: this one and the other browser's.
    assert logged.get("/espace")["Location"] == "/"
    assert other_session.get("/espace")["Location"] == "/"


def test_r_del_space_1_login_then_answers_exactly_as_for_an_unknown_email(logged, space):
    assert confirm(logged).status_code == 302
    gone, unknown = login_attempt(EMAIL), login_attempt("personne.inconnue@exemple.fr")
    assert gone.status_code == unknown.status_code == 400
    assert normalised(gone, EMAIL) == normalised(unknown, "personne.inconnue@exemple.fr")
    assert "ou le mot de passe est incorrect." in text(gone)


def test_r_del_space_1_the_email_may_open_a_new_space_with_a_new_number(logged, space):
    number = space.subscriber_number
    assert confirm(logged).status_code == 302
    client = Client()
    assert journey.register(client, EMAIL).status_code == 302
    journey.activate(client, journey.last_code(EMAIL), EMAIL)
    new = Space.objects.get(login_email=EMAIL)
    assert new.pk != space.pk and new.subscriber_number != number and new.is_active


def test_r_del_space_1_r_num_1_the_number_is_never_allocated_again(space):
    now = clock.now()
    departing = SpaceFactory(subscriber_number=numbers.allocate(now))
    retired = departing.subscriber_number
    deletion.delete(space=departing, now=now)
    allocated = {numbers.allocate(now) for _ in range(50)}
    assert retired not in allocated and len(allocated) == 50
    assert all(number > retired for number in allocated)  # the day's sequence only counts forward
    assert Space.objects.filter(subscriber_number=retired).count() == 1  # the tombstone holds it (unique)
    assert SubscriberCounter.objects.get(day=retired[:7]).last == int(max(allocated)[7:])


def test_r_del_space_1_a_deleted_space_cannot_be_deleted_twice(space):
    """Two pages posted at once: the second finds the tombstone, writes and sends nothing."""
    assert deletion.delete(space=space, now=clock.now()) is True
    emails, events = OutboxEmail.objects.count(), AuditEvent.objects.count()
    assert deletion.delete(space=space, now=clock.now()) is False
    assert (OutboxEmail.objects.count(), AuditEvent.objects.count()) == (emails, events)


def test_r_coord_1_a_space_deleted_meanwhile_gets_no_change(space):
    from accounts.services import coordinates

    deletion.delete(space=space, now=clock.now())
    values = {name: "X" if name != "foreign_company" else True for name in coordinates.FIELDS}
    assert coordinates.change(space=space, values=values, now=clock.now()) == []
    assert Space.objects.get(pk=space.pk).last_name == ""


def test_r_del_space_1_the_last_email_goes_to_the_contact_address(space):
    Space.objects.filter(pk=space.pk).update(contact_email="contact.zephyrine@exemple.fr")
    space.refresh_from_db()
    OutboxEmail.objects.create(to=EMAIL, subject="Un courriel d'avant", next_attempt_at=clock.now(), created_at=clock.now())
    deletion.delete(space=space, now=clock.now())
    assert mails_to("contact.zephyrine@exemple.fr", "Suppression de votre espace")
    assert not OutboxEmail.objects.filter(to=EMAIL).exists()


def test_r_del_space_1_live_designations_it_made_end_with_their_rows(space):
    """A titulaire substituted may have left designations live: they end, the suppléant is told."""
    suppleant = SpaceFactory(civility="M", last_name="FABRE", first_name="Léo")
    grant(space, companies.MARTIN, "declarer_tva", ended_at=clock.now())
    designation = suppleance_rows(space, suppleant, companies.MARTIN)
    deletion.delete(space=space, now=clock.now())
    designation.refresh_from_db()
    assert designation.state == Suppleance.State.REMOVED
    assert not Habilitation.objects.filter(space=suppleant, ended_at__isnull=True).exists()
    [body] = mails_to(suppleant.contact_email, "espace supprimé")
    assert "titulaire qui vous avait désigné suppléant" in body and "TVA" in body


def test_r_del_space_1_letters_held_by_the_worker_or_of_other_codes_are_left(space):
    assert letters.void_pending([]) == 0
    asked = adhesion.request_adhesion(space=space, siren=companies.DUPONT, statut="representant_legal",
                                      service_codes=["declarer_tva"], now=clock.now())
    other = SpaceFactory()
    adhesion.request_adhesion(space=other, siren=companies.MARTIN, statut="representant_legal",
                              service_codes=["declarer_tva"], now=clock.now())
    mine = PendingRequest.objects.get(pk=asked.pending_id).code_hash
    # Leased by the worker (being written to the spool): left to it; its code is dead anyway.
    OutboxLetter.objects.update(claimed_until=clock.now() + timedelta(minutes=5))
    assert letters.void_pending([mine]) == 0
    OutboxLetter.objects.update(claimed_until=None)
    assert letters.void_pending([mine]) == 1
    assert OutboxLetter.objects.filter(status=OutboxLetter.Status.PENDING).count() == 1  # the other space's


# --- no personal datum left ----------------------------------------------------------------------

# What may still hold the space's values after its deletion (docs/decisions.md, J16):
ALLOWED = {
    # the audit log keeps its events for AUDIT_RETENTION (SPEC §4): the space's rows (email,
    # address, browser) and the other parties' rows naming it (detail.party)
    ("core.AuditEvent", "email"),
    ("core.AuditEvent", "detail"),
    # the rate-limit counters of the login email, until their window ends (housekeeping)
    ("core.ThrottleCounter", "key"),
}
# Rows of other apps that stay, pointing to the tombstone, holding none of the space's values
# (docs/decisions.md, J16): a bank account is the company's (R-BANK-1), not the space's — its
# holder and holder's address are the account's, its IBAN the dossier's; ``created_by`` keeps
# naming the tombstone (a number, no personal datum). Agents of the assistance (R-AST-1)
# reference no space; their actions on it are audit events (above).
KEPT_POINTING_TO_THE_TOMBSTONE = {("entreprise.BankAccount", "created_by")}


def rows_holding(values) -> list[tuple[str, str, str]]:
    """Return (model, field, value) for every text or JSON value of every model holding one of values."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        if not fields:
            continue
        for row in model.objects.values_list(*(f.attname for f in fields)):
            for field, value in zip(fields, row):
                shown = str(value)
                for known in values:
                    if known.casefold() in shown.casefold():
                        found.append((model._meta.label, field.name, known))
    return found


def test_r_del_space_1_deletion_leaves_no_personal_datum_in_any_table(logged, space, world):
    assert rows_holding(KNOWN_VALUES)  # the walk sees them before
    assert confirm(logged).status_code == 302
    left = rows_holding(KNOWN_VALUES)
    # The last email's row names its recipient until it is delivered, and only that one.
    assert {(model, field) for model, field, _ in left if model == "mailer.OutboxEmail"} == {("mailer.OutboxEmail", "to")}
    [last] = [mail for mail in OutboxEmail.objects.all() if "quatrebarbes" in mail.to]
    assert last.to == EMAIL and last.subject.endswith("Suppression de votre espace")
    assert {(model, field) for model, field, _ in left if model != "mailer.OutboxEmail"} <= ALLOWED


def test_r_del_space_1_warning_counts_beyond_one_page_and_names_pending_requests(logged, space, settings):
    settings.HABILITATIONS_PAGE_SIZE = 1
    grantor = SpaceFactory()
    delegation_rows(grantor, space, companies.DUPONT, ("declarer_tva", "declarer_is"))
    adhesion.request_adhesion(space=space, siren=companies.MARTIN, statut="representant_legal",
                              service_codes=["declarer_tva"], now=clock.now())
    body = text(logged.get(DELETE_URL))
    assert "les habilitations ci-dessous (2, comme suppléant ou délégataire)" in body
    assert "Les 1 premières sur 2 : consulter mes services" in re.sub(r"<[^>]+>", "", body)
    assert "les demandes d'adhésion en cours (1) : elles sont annulées" in body


# --- unit proofs of the branches the journeys do not take ---------------------------------------


def test_r_coord_1_service_with_nothing_changed_writes_nothing(space):
    """Two pages posted at once: the second finds nothing left to change (the form checked before)."""
    from accounts.services import coordinates

    values = {name: getattr(space, name) for name in coordinates.FIELDS}
    assert coordinates.change(space=space, values=values, now=clock.now()) == []
    assert not OutboxEmail.objects.exists() and not AuditEvent.objects.filter(kind="accounts.coordinates_changed").exists()


def test_r_del_space_1_an_address_another_space_uses_keeps_its_outbox_rows(space):
    SpaceFactory(access_mode="certificate", login_email=None, contact_email=EMAIL)
    OutboxEmail.objects.create(to=EMAIL, subject="Un courriel d'avant", next_attempt_at=clock.now(), created_at=clock.now())
    deletion.delete(space=space, now=clock.now())
    assert OutboxEmail.objects.filter(to=EMAIL, subject="Un courriel d'avant").exists()


def test_r_del_space_1_end_all_ends_a_titulaire_row_and_a_purged_request_without_email(space):
    """end_all alone (the deletion refuses a titulaire first): a row granted by the administration
    names no one to tell; a request whose code was purged is cancelled all the same."""
    from habilitations.services import departure

    grant(space, companies.MARTIN, "declarer_tva")
    asked = adhesion.request_adhesion(space=space, siren=companies.DUPONT, statut="representant_legal",
                                      service_codes=["declarer_tva"], now=clock.now())
    PendingRequest.objects.filter(pk=asked.pending_id).delete()
    OutboxEmail.objects.all().delete()
    ended = departure.end_all(space=space, now=clock.now())
    assert (ended.habilitations, ended.requests, ended.parties) == (1, 1, [])
    assert AdhesionRequest.objects.get(pk=asked.pk).state == AdhesionRequest.State.CANCELLED
    assert not OutboxEmail.objects.exists()
    assert not AuditEvent.objects.filter(kind="habilitations.habilitations_ended").exists()


def test_r_del_space_1_a_tombstone_is_named_as_a_deleted_space(space):
    deletion.delete(space=space, now=clock.now())
    tombstone = Space.objects.get(pk=space.pk)
    assert sharing.person(tombstone) == sharing.party(tombstone) == "un espace supprimé"
    assert sharing.party(SpaceFactory(last_name="NOËL")).startswith("Madame NOËL Lila (n° d'abonné ")


def test_r_del_space_1_its_bank_account_stays_the_company_s_and_agents_hold_nothing_of_it(logged, space, world):
    """A bank account the space added (R-BANK-1) and an action of the assistance on it (R-AST-1)."""
    from assistance.models import Agent
    from assistance.services import actions
    from entreprise.models import BankAccount
    from tests.assistance.console import create_agent
    from tests.entreprise import bank

    account = bank.add_account(space)
    create_agent()
    actions.perform(
        action=actions.ACTIONS["lever-delai"], agent=Agent.objects.get(), space=space,
        reason="Appel de l'usager", now=clock.now(),
    )
    OutboxEmail.objects.all().delete()
    assert confirm(logged).status_code == 302
    left = {(model, field) for model, field, _ in rows_holding(KNOWN_VALUES) if model != "mailer.OutboxEmail"}
    assert left <= ALLOWED
    kept = BankAccount.objects.get(pk=account.pk)
    assert kept.created_by_id == space.pk and kept.removed_at is None  # the company's account stays
    assert {
        (field.model._meta.label, field.name)
        for field in BankAccount._meta.concrete_fields
        if field.is_relation and field.related_model is Space
    } == KEPT_POINTING_TO_THE_TOMBSTONE
    assert not [field for field in Agent._meta.get_fields() if field.is_relation and field.related_model is Space]
