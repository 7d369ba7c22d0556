"""J12 "Désigner un administrateur suppléant" (R-SUP-1) through the test client: the list, the
look-up by subscriber number AND last name (one refusal for every mismatch, throttled per
space and per address), the confirmation naming the person, done; the suppléant emailed,
both histories written (R-AUDIT-2), the dossier on the suppléant's home at once."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.utils.html import escape

from accounts.selectors import security_history
from core import throttle
from core.messages import message
from core.throttle import DatabaseStore
from core.models import AuditEvent
from habilitations.flows.suppleants import FOUND_KEY, FOUND_TTL
from habilitations.models import Habilitation, Role, Suppleance
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations import holdings as steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
LIST = "/espace/partage/suppleants"
DESIGNATE = f"/espace/dossiers/{MARTIN}/suppleants/designer"
SERVICES = ["declarer_tva", "payer_tva"]


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def titulaire(client, now):
    space = SpaceFactory(civility="M", last_name="MARTIN", first_name="Paul", login_email="paul.martin@exemple.fr")
    steps.hold(space, steps.martin(), SERVICES)
    steps.sign_in(client, space)
    return space


@pytest.fixture
def other(now):
    return SpaceFactory(civility="MME", last_name="Lefèvre-Dupont", first_name="Anne", login_email="anne@exemple.fr")


def said(code: str, **params) -> str:
    return escape(message(code, **params))


def look_up(client, number, last_name="LEFEVRE DUPONT", url=DESIGNATE):
    return client.post(url, {"subscriber_number": number, "last_name": last_name})


def designate(client, space, last_name="LEFEVRE DUPONT"):
    confirm = look_up(client, space.subscriber_number, last_name)
    assert confirm.status_code == 200, confirm.content.decode()
    return client.post(DESIGNATE, {"confirm": "oui"})


def emails_to(space) -> list[tuple[str, str]]:
    return [(mail.subject, decrypt_body(mail)) for mail in OutboxEmail.objects.filter(to=space.contact_email).order_by("id")]


def test_r_sup_1_manage_links_the_list_which_shows_each_dossier_held_as_titulaire(client, titulaire):
    steps.hold(titulaire, steps.dupont(), ["declarer_is"], role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    manage = client.get("/espace/gerer").content.decode()
    assert f'<a class="fr-link" href="{LIST}">Gérer mes administrateurs suppléants</a>' in manage
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "SARL MARTIN DISTRIBUTION" in html and "732 829 320" in html
    assert "DUPONT ET FILS" not in html  # délégataire there: no suppléants to designate
    assert f'href="{DESIGNATE}"' in html and "Aucun administrateur suppléant pour ce dossier." in html


def test_r_sup_1_the_list_of_a_space_titulaire_of_nothing_says_how_to_become_one(client, now):
    space = SpaceFactory()
    steps.hold(space, steps.martin(), ["declarer_tva"], role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    steps.sign_in(client, space)
    html = client.get(LIST).content.decode()
    assert "Vous n'êtes titulaire d'aucun service" in html and "/espace/services/adherer" in html
    assert client.get(DESIGNATE).status_code == 404  # a délégataire designates nobody (R-SUP-1)


def test_r_sup_1_designate_by_number_and_name_confirm_then_done(client, titulaire, other):
    form = client.get(DESIGNATE)
    assert form.status_code == 200
    assert escape("Numéro d'abonné de l'espace professionnel") in form.content.decode()
    confirm = look_up(client, " ".join([other.subscriber_number[:7], other.subscriber_number[7:]]), "lefevre-dupont")
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "<h1>Confirmer l'administrateur suppléant</h1>" in html
    assert "Madame Lefèvre-Dupont Anne" in html and "SARL MARTIN DISTRIBUTION" in html
    assert other.login_email not in html and other.subscriber_number not in html  # the number is never echoed back
    assert not Suppleance.objects.exists()  # nothing until "Confirmer"
    done = client.post(DESIGNATE, {"confirm": "oui"})
    assert done.status_code == 302 and done["Location"] == LIST
    made = Suppleance.objects.get()
    assert (made.titulaire, made.suppleant, made.state, made.created_at) == (titulaire, other, "active", NOW)
    rows = Habilitation.objects.filter(space=other).order_by("service__code")
    assert [(row.service.code, row.role, row.granted_by, row.suppleance, row.on_hold) for row in rows] == [
        ("declarer_tva", Role.SUPPLEANT, titulaire, made, False),
        ("payer_tva", Role.SUPPLEANT, titulaire, made, False),
    ]
    listed = client.get(LIST).content.decode()
    assert said("suppleant_designated", person="Madame Lefèvre-Dupont Anne", name="SARL MARTIN DISTRIBUTION", siren="732 829 320") in listed
    assert "Lefèvre-Dupont Anne" in listed and other.subscriber_number in listed and "Actif" in listed
    assert "Mettre en veille" in listed and "Supprimer" in listed
    assert FOUND_KEY not in client.session  # used once


def test_r_sup_1_the_suppleant_is_emailed_with_the_titulaire_s_name_never_an_address(client, titulaire, other):
    designate(client, other)
    [(subject, body)] = emails_to(other)
    assert subject == "Espace professionnel - Vous êtes désigné administrateur suppléant"
    assert "Monsieur MARTIN Paul" in body and "SARL MARTIN DISTRIBUTION (SIREN 732 829 320)" in body
    assert "Déclarer › TVA" in body or "TVA" in body
    assert "@" not in body.split("Pour votre sécurité")[0]  # no email address of anyone
    assert emails_to(titulaire) == []


def test_r_audit_2_a_designation_is_in_both_security_histories_naming_the_other(client, titulaire, other):
    designate(client, other)
    [mine] = security_history(titulaire).events
    [theirs] = security_history(other).events
    assert mine.label == theirs.label == "Administrateur suppléant désigné"
    assert mine.subject == theirs.subject and "732" in mine.subject
    assert "Lefèvre-Dupont Anne" in mine.party and other.subscriber_number in mine.party
    assert "Monsieur MARTIN Paul" in theirs.party and titulaire.subscriber_number in theirs.party
    assert "TVA" in mine.services and mine.services == theirs.services


def test_r_sup_1_the_suppleant_sees_the_dossier_at_once_as_administrateur_suppleant(client, titulaire, other):
    designate(client, other)
    theirs = Client()
    steps.sign_in(theirs, other)
    home = theirs.get("/espace").content.decode()
    assert "SARL MARTIN DISTRIBUTION" in home and f"/espace/dossiers/{MARTIN}/services/declarer_tva" in home
    service = theirs.get(f"/espace/dossiers/{MARTIN}/services/declarer_tva").content.decode()
    assert "<dt>Rôle</dt><dd>Administrateur suppléant</dd>" in service
    assert f"MARTIN Paul (abonné {titulaire.subscriber_number})" in service
    assert "Gérer les délégations de ce service" in service
    j11 = theirs.get("/espace/services/habilitations").content.decode()
    assert "Administrateur suppléant" in j11 and "Active" in j11
    # A suppléant designates nobody: every J12 page of the dossier is not found for it (R-SUP-1).
    pk = Suppleance.objects.get().pk
    assert theirs.get(DESIGNATE).status_code == 404
    assert theirs.post(DESIGNATE, {"subscriber_number": titulaire.subscriber_number, "last_name": "MARTIN"}).status_code == 404
    for action in ("veille", "reactiver", "supprimer"):
        assert theirs.post(f"/espace/dossiers/{MARTIN}/suppleants/{pk}/{action}").status_code == 404
    assert theirs.get(f"/espace/dossiers/{MARTIN}/suppleants/{pk}/supprimer").status_code == 404
    assert "SARL MARTIN" not in theirs.get(LIST).content.decode()
    assert Suppleance.objects.get().state == "active"


@pytest.mark.parametrize(
    ("number", "last_name"),
    [
        ("wrong_name", "DURAND"),
        ("unknown", "LEFEVRE DUPONT"),
        ("self", "MARTIN"),
        ("closed", "LEFEVRE DUPONT"),
    ],
)
def test_r_sup_1_every_mismatch_gets_the_same_refusal(client, titulaire, other, number, last_name):
    if number == "closed":
        other.is_active = False
        other.save(update_fields=["is_active"])
    value = {"wrong_name": other.subscriber_number, "unknown": "20269990000000", "self": titulaire.subscriber_number,
             "closed": other.subscriber_number}[number]
    refused = look_up(client, value, last_name)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert said("designation_unknown") in html
    assert "Lefèvre" not in html and "ROSEMONDE" not in html
    assert AuditEvent.objects.filter(kind="habilitations.designation_refused", space=titulaire).count() == 1
    assert FOUND_KEY not in client.session and not Suppleance.objects.exists()
    assert client.post(DESIGNATE, {"confirm": "oui"}).status_code == 409  # nothing found, nothing to confirm


def test_r_sup_1_a_malformed_number_is_said_by_the_field(client, titulaire):
    refused = look_up(client, "12345", "X")
    assert refused.status_code == 400 and escape("Saisissez un numéro d'abonné de 14 chiffres.") in refused.content.decode()
    assert not AuditEvent.objects.filter(kind="habilitations.designation_refused").exists()


def test_r_sup_1_an_existing_suppleant_is_refused_at_the_look_up_and_at_confirmation(client, titulaire, other):
    assert look_up(client, other.subscriber_number).status_code == 200  # found: kept for "Confirmer"
    designate(client, other)
    again = look_up(client, other.subscriber_number)
    assert again.status_code == 409 and said("suppleant_already") in again.content.decode()
    assert Suppleance.objects.count() == 1 and Habilitation.objects.filter(space=other).count() == 2


def test_r_sup_1_designated_in_another_tab_meanwhile_is_refused_at_confirmation(client, titulaire, other):
    assert look_up(client, other.subscriber_number).status_code == 200
    builders.suppleance(titulaire, MARTIN, other)  # the other tab confirmed first
    again = client.post(DESIGNATE, {"confirm": "oui"})
    assert again.status_code == 409 and said("suppleant_already") in again.content.decode()
    assert Suppleance.objects.count() == 1 and Habilitation.objects.filter(space=other).count() == 2


def test_r_sup_1_throttle_the_21st_check_in_an_hour_is_refused_even_with_the_right_number_and_name(
    client, titulaire, other, time_machine, monkeypatch
):
    # The window's end is read from the clock on the database's counters; Redis expires its
    # keys by its own clock, which a moved test clock does not move (the cap itself holds on
    # both: test_r_sup_1_throttle_per_address_across_spaces runs on whichever store is set).
    monkeypatch.setattr(throttle, "default_store", DatabaseStore)
    for _ in range(20):
        assert look_up(client, "20269990000000").status_code == 400
    capped = look_up(client, other.subscriber_number)
    assert capped.status_code == 429 and said("designation_throttled") in capped.content.decode()
    assert "Lefèvre" not in capped.content.decode() and FOUND_KEY not in client.session
    time_machine.move_to(datetime(2026, 12, 3, 10, 31, tzinfo=UTC), tick=False)  # the hour is over
    steps.sign_in(client, titulaire)  # a new session (the first one timed out meanwhile)
    assert look_up(client, other.subscriber_number).status_code == 200


def test_r_sup_1_throttle_per_address_across_spaces(now, other):
    """30 checks from one address in an hour, whatever the spaces: the 31st is refused."""
    for index in range(2):
        space = SpaceFactory(last_name="MARTIN")
        steps.hold(space, steps.dossier(f"{MARTIN if index == 0 else DUPONT}"), ["declarer_tva"])
        browser = Client(REMOTE_ADDR="198.51.100.7")
        steps.sign_in(browser, space)
        url = f"/espace/dossiers/{MARTIN if index == 0 else DUPONT}/suppleants/designer"
        for _ in range(15):
            assert look_up(browser, "20269990000000", url=url).status_code == 400
    third = SpaceFactory()
    builders.grant(third, "542065479", "declarer_tva")
    browser = Client(REMOTE_ADDR="198.51.100.7")
    steps.sign_in(browser, third)
    capped = look_up(browser, other.subscriber_number, url="/espace/dossiers/542065479/suppleants/designer")
    assert capped.status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.8")
    steps.sign_in(elsewhere, third)
    assert look_up(elsewhere, other.subscriber_number, url="/espace/dossiers/542065479/suppleants/designer").status_code == 200


def test_r_sup_1_the_found_space_is_kept_for_that_dossier_only_and_for_a_while(client, titulaire, other, time_machine):
    steps.hold(titulaire, steps.dupont(), ["declarer_is"])
    assert look_up(client, other.subscriber_number).status_code == 200
    # Confirmed on another dossier of the titulaire: not the one it was found for.
    elsewhere = client.post(f"/espace/dossiers/{DUPONT}/suppleants/designer", {"confirm": "oui"})
    assert elsewhere.status_code == 409 and said("suppleant_expired") in elsewhere.content.decode()
    assert look_up(client, other.subscriber_number).status_code == 200
    time_machine.move_to(NOW + FOUND_TTL + FOUND_TTL / 10, tick=False)
    late = client.post(DESIGNATE, {"confirm": "oui"})
    assert late.status_code == 409 and not Suppleance.objects.exists()
    # The form again forgets what was found.
    assert look_up(client, other.subscriber_number).status_code == 200
    assert client.get(DESIGNATE).status_code == 200 and FOUND_KEY not in client.session


def test_r_sup_1_a_space_closed_between_the_two_steps_is_not_designated(client, titulaire, other):
    assert look_up(client, other.subscriber_number).status_code == 200
    other.is_active = False
    other.save(update_fields=["is_active"])
    refused = client.post(DESIGNATE, {"confirm": "oui"})
    assert refused.status_code == 409 and not Suppleance.objects.exists()


def test_r_sup_1_a_space_holding_other_rights_on_the_dossier_is_designated_all_the_same(client, titulaire, other):
    """Titulaire of another service and délégataire of one of the titulaire's: its rows add up."""
    steps.hold(other, steps.martin(), ["declarer_is"])
    steps.hold(other, steps.martin(), ["declarer_tva"], role=Role.DELEGATAIRE, granted_by=titulaire)
    assert designate(client, other).status_code == 302
    from habilitations import policy

    allowed = policy.access(other, MARTIN)
    assert allowed.roles == {"declarer_is": Role.TITULAIRE, "declarer_tva": Role.SUPPLEANT, "payer_tva": Role.SUPPLEANT}
    # Titulaire of its own service, it designates suppléants for that one only.
    assert [service.code for service in allowed.titled()] == ["declarer_is"]


def test_r_sup_1_the_list_pages_many_dossiers(client, titulaire, settings):
    settings.DOSSIERS_PAGE_SIZE = 1
    steps.hold(titulaire, steps.dupont(), ["declarer_is"])
    first = client.get(LIST).content.decode()
    assert "DUPONT ET FILS" in first and "SARL MARTIN" not in first and "?page=2" in first
    second = client.get(LIST + "?page=2").content.decode()
    assert "SARL MARTIN" in second and "?page=1" in second
    assert client.get(LIST + "?page=abc").status_code == 200


def test_r_sup_1_the_list_costs_three_queries_whatever_the_numbers(titulaire, django_assert_num_queries):
    from habilitations import selectors

    steps.hold(titulaire, steps.dupont(), ["declarer_is"])
    for siren in (MARTIN, DUPONT, MARTIN):
        builders.suppleance(titulaire, siren)
    with django_assert_num_queries(3):  # the count, the page of dossiers, their designations
        shown = selectors.suppleants_page(titulaire)
    assert [(dossier.name, len(dossier.suppleants)) for dossier in shown.dossiers] == [
        ("DUPONT ET FILS", 1), ("SARL MARTIN DISTRIBUTION", 2)
    ]
