"""J12 "Mettre en veille", "Réactiver", "Supprimer" (R-SUP-1): each through the list, emailed to the
suppléant, in both histories (R-AUDIT-2); on hold the policy gives nothing (R-HAB-2: home and
service page not found, J11 says "En veille"), reactivated everything comes back, removed it
ends. Another titulaire's designation is a 404 whatever id is typed; a titulaire's services
gained later reach its suppléants (habilitations.services.suppleants.extend)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils.html import escape

from accounts.selectors import security_history
from core.messages import message
from habilitations import policy
from habilitations.models import Habilitation, Role, Suppleance
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations import holdings as steps
from tests.habilitations import steps as journeys

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
LIST = "/espace/partage/suppleants"
TVA = f"/espace/dossiers/{MARTIN}/services/declarer_tva"


def url(pk, action, siren=MARTIN) -> str:
    return f"/espace/dossiers/{siren}/suppleants/{pk}/{action}"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def titulaire(client, now):
    space = SpaceFactory(civility="M", last_name="MARTIN", first_name="Paul")
    steps.hold(space, steps.martin(), ["declarer_tva", "payer_tva"])
    steps.sign_in(client, space)
    return space


@pytest.fixture
def suppleant(now):
    return SpaceFactory(civility="MME", last_name="DURAND", first_name="Anne")


@pytest.fixture
def made(titulaire, suppleant):
    return builders.suppleance(titulaire, MARTIN, suppleant)


@pytest.fixture
def theirs(suppleant):
    browser = Client()
    steps.sign_in(browser, suppleant)
    return browser


def listed(response) -> str:
    assert response.status_code == 302 and response["Location"] == LIST
    return response.client.get(LIST).content.decode()


def said(code: str, **params) -> str:
    return escape(message(code, **params))


NAMES = {"person": "Madame DURAND Anne", "name": "SARL MARTIN DISTRIBUTION", "siren": "732 829 320"}


def last_email(space) -> tuple[str, str]:
    mail = OutboxEmail.objects.filter(to=space.contact_email).order_by("-id").first()
    return mail.subject, decrypt_body(mail)


def test_r_sup_1_on_hold_keeps_the_rows_and_gives_nothing(client, titulaire, suppleant, made, theirs):
    assert theirs.get(TVA).status_code == 200
    page = listed(client.post(url(made.pk, "veille")))
    assert said("suppleant_on_hold", **NAMES) in page and "En veille" in page and "Réactiver" in page
    made.refresh_from_db()
    assert (made.state, made.changed_at, made.ended_at) == ("on_hold", NOW, None)
    rows = Habilitation.objects.filter(space=suppleant)
    assert rows.count() == 2 and all(row.on_hold and row.ended_at is None for row in rows)
    assert policy.access(suppleant, MARTIN) is None
    assert theirs.get(TVA).status_code == 404
    assert "SARL MARTIN" not in theirs.get("/espace").content.decode()
    # J11 says it rather than hiding it (R-HAB-1).
    table = journeys.table(theirs.get("/espace/services/habilitations").content.decode(), "Mes habilitations")
    assert {(row["Rôle"], row["État"]) for row in table} == {("Administrateur suppléant", "En veille")}
    subject, body = last_email(suppleant)
    assert subject == "Espace professionnel - Votre rôle d'administrateur suppléant est mis en veille"
    assert "Monsieur MARTIN Paul" in body and "SIREN 732 829 320" in body and titulaire.contact_email not in body


def test_r_sup_1_reactivate_restores_access(client, titulaire, suppleant, made, theirs):
    client.post(url(made.pk, "veille"))
    page = listed(client.post(url(made.pk, "reactiver")))
    assert said("suppleant_reactivated", **NAMES) in page and "Mettre en veille" in page
    made.refresh_from_db()
    assert made.state == "active" and not Habilitation.objects.filter(space=suppleant, on_hold=True).exists()
    assert policy.access(suppleant, MARTIN).roles == {"declarer_tva": Role.SUPPLEANT, "payer_tva": Role.SUPPLEANT}
    assert theirs.get(TVA).status_code == 200
    assert last_email(suppleant)[0] == "Espace professionnel - Votre rôle d'administrateur suppléant est réactivé"


def test_r_sup_1_remove_asks_first_then_ends(client, titulaire, suppleant, made, theirs):
    confirm = client.get(url(made.pk, "supprimer"))
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "<h1>Supprimer l'administrateur suppléant</h1>" in html
    assert "Madame DURAND Anne" in html and "Confirmer la suppression" in html and "mettez-la plutôt en veille" in html
    assert Suppleance.objects.get().state == "active"  # the GET changes nothing
    page = listed(client.post(url(made.pk, "supprimer")))
    assert said("suppleant_removed", **NAMES) in page and "Aucun administrateur suppléant pour ce dossier." in page
    made.refresh_from_db()
    assert (made.state, made.ended_at) == ("removed", NOW)
    assert set(Habilitation.objects.filter(space=suppleant).values_list("ended_at", flat=True)) == {NOW}
    assert theirs.get(TVA).status_code == 404
    ended = journeys.table(theirs.get("/espace/services/habilitations").content.decode(), "Habilitations terminées")
    assert {row["Rôle"] for row in ended} == {"Administrateur suppléant"}
    assert last_email(suppleant)[0] == "Espace professionnel - Vous n'êtes plus administrateur suppléant"
    # Removed, it is nobody's any more: every action on it is not found; designated again, a new one.
    assert client.post(url(made.pk, "veille")).status_code == 404
    assert client.get(url(made.pk, "supprimer")).status_code == 404
    again = builders.suppleance(titulaire, MARTIN, suppleant)
    assert again.pk != made.pk and Habilitation.objects.filter(space=suppleant, ended_at__isnull=True).count() == 2


def test_r_sup_1_a_removed_suppleant_en_veille_ends_too(client, titulaire, suppleant, made):
    client.post(url(made.pk, "veille"))
    listed(client.post(url(made.pk, "supprimer")))
    assert not Habilitation.objects.filter(space=suppleant, ended_at__isnull=True).exists()


@pytest.mark.parametrize(("first", "then"), [("reactiver", None), ("veille", "veille")])
def test_r_sup_1_an_action_from_the_wrong_state_is_refused_nothing_written(client, titulaire, suppleant, made, first, then):
    if then is not None:
        client.post(url(made.pk, first))
        action = then
    else:
        action = first
    before = (Suppleance.objects.values_list("state", "changed_at").get(), OutboxEmail.objects.count())
    page = listed(client.post(url(made.pk, action)))
    assert said("suppleant_state_changed") in page
    assert (Suppleance.objects.values_list("state", "changed_at").get(), OutboxEmail.objects.count()) == before


def test_r_audit_2_each_change_is_in_both_histories(client, titulaire, suppleant, made):
    for action in ("veille", "reactiver", "supprimer"):
        client.post(url(made.pk, action))
    expected = [
        "Administrateur suppléant supprimé",
        "Administrateur suppléant réactivé",
        "Administrateur suppléant mis en veille",
        "Administrateur suppléant désigné",
    ]
    for space, other in ((titulaire, suppleant), (suppleant, titulaire)):
        events = security_history(space).events
        assert [event.label for event in events] == expected
        assert all(other.subscriber_number in event.party and event.services == "Déclarer › TVA, Payer › TVA" for event in events)


def test_r_hab_2_another_titulaire_s_designation_on_the_same_dossier_is_not_found(client, titulaire, made, now):
    """A co-titulaire (another service of the dossier) may designate its own suppléants, never act on mine."""
    cotitulaire = SpaceFactory()
    steps.hold(cotitulaire, steps.martin(), ["declarer_is"])
    browser = Client()
    steps.sign_in(browser, cotitulaire)
    for action in ("veille", "reactiver", "supprimer"):
        assert browser.post(url(made.pk, action)).status_code == 404
    assert browser.get(url(made.pk, "supprimer")).status_code == 404
    # Typed with another dossier of mine, my own designation is not found either (the pk is the dossier's).
    steps.hold(titulaire, steps.dupont(), ["declarer_is"])
    assert client.post(url(made.pk, "veille", siren=DUPONT)).status_code == 404
    assert client.get(url(made.pk, "supprimer", siren=DUPONT)).status_code == 404
    assert client.post(url(10**9, "veille")).status_code == 404
    assert Suppleance.objects.get().state == "active"


def test_r_sup_1_a_titulaire_s_later_service_reaches_its_suppleants(titulaire, suppleant, made, spool, django_capture_on_commit_callbacks):
    held = SpaceFactory()
    on_hold = builders.suppleance(titulaire, MARTIN, held, on_hold=True)
    elsewhere = SpaceFactory()
    steps.hold(titulaire, steps.dupont(), ["declarer_is"])
    other_dossier = builders.suppleance(titulaire, DUPONT, elsewhere)
    removed = builders.suppleance(titulaire, MARTIN, SpaceFactory())
    from habilitations.services import suppleants

    suppleants.remove(suppleance=removed, now=NOW)
    asked, code = journeys.ask(django_capture_on_commit_callbacks, spool, titulaire, services=["declarer_is"])
    from habilitations.services import adhesion

    adhesion.activate(asked.pending, {"adhesion": asked.pk}, NOW + timedelta(days=2))
    assert policy.access(suppleant, MARTIN).roles["declarer_is"] == Role.SUPPLEANT
    row = Habilitation.objects.get(space=held, service__code="declarer_is")
    assert (row.on_hold, row.suppleance, row.granted_by) == (True, on_hold, titulaire)
    assert not Habilitation.objects.filter(space=elsewhere, dossier__siren=MARTIN).exists()
    assert not Habilitation.objects.filter(space=removed.suppleant, service__code="declarer_is").exists()
    assert other_dossier.habilitations.count() == 1


def test_r_sup_1_extend_skips_a_row_already_held_and_nothing_to_extend(titulaire, suppleant, made):
    from habilitations.services import suppleants
    from catalogue.models import Service

    tva = Service.objects.get(code="declarer_tva")
    suppleants.extend(titulaire=titulaire, dossier=made.dossier, services=[tva], now=NOW)  # held already
    suppleants.extend(titulaire=titulaire, dossier=made.dossier, services=[], now=NOW)
    assert made.habilitations.count() == 2
