"""J11's actions on a pending request (R-ADH-3): "Annuler la demande" (after a confirmation) and
"Renvoyer le courrier" (once: a new code, the old one void, a new 60 days), through the
test client and J2 (R-ADH-2); another space's request is a 404 whatever id is typed (R-HAB-2)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils.html import escape

from codes.models import PendingRequest
from core import clock
from core.messages import message
from habilitations.models import AdhesionRequest, Habilitation, Role
from tests.codes.letter_files import text_of
from tests import companies
from tests.accounts import journey
from tests.factories import SpaceFactory
from tests.habilitations import steps

pytestmark = pytest.mark.django_db
LIST = "/espace/services/habilitations"
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
EMAIL = "lila.rosemonde@exemple.fr"


def cancel_url(pk) -> str:
    return f"/espace/services/demandes/{pk}/annuler"


def resend_url(pk) -> str:
    return f"/espace/services/demandes/{pk}/renvoyer"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def space(now):
    return SpaceFactory(login_email=EMAIL)


@pytest.fixture
def logged(client, space):
    steps.enter(client, space)
    return client


@pytest.fixture
def asked(space, spool, django_capture_on_commit_callbacks):
    """A request of the space for three services of MARTIN, and the code of its letter."""
    return steps.ask(django_capture_on_commit_callbacks, spool, space)


def shown(response) -> str:
    """Follow the redirect to the list and return its page (the message is on it)."""
    assert response.status_code == 302 and response["Location"] == LIST
    return response.client.get(LIST).content.decode()


def said(code: str, **params) -> str:
    """The catalogue's message as the page writes it (HTML-escaped)."""
    return escape(message(code, **params))


def held(space) -> set[str]:
    return set(Habilitation.objects.filter(space=space, ended_at__isnull=True).values_list("service__code", flat=True))


def test_r_adh_3_cancel_asks_for_confirmation_then_the_code_no_longer_activates(logged, space, asked):
    made, code = asked
    confirm = logged.post(cancel_url(made.pk))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "<h1>Annuler la demande d'adhésion</h1>" in html
    assert "Le code du courrier ne fonctionnera plus" in html and "SARL MARTIN DISTRIBUTION" in html
    assert 'name="confirm" value="oui"' in html and f'href="{LIST}">Ne pas annuler</a>' in html
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.PENDING  # nothing done yet

    page = shown(logged.post(cancel_url(made.pk), {"confirm": "oui"}))
    assert said("adhesion_cancelled", name="SARL MARTIN DISTRIBUTION", siren="732 829 320") in page
    assert "Aucune demande d'adhésion en attente." in page
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.CANCELLED and made.closed_at == clock.now()
    assert made.pending.expires_at == clock.now() and made.pending.payload == {}

    refused = journey.activate(Client(), code, EMAIL)
    assert refused.status_code == 400 and "ne permettent pas l&#x27;activation" in refused.content.decode()
    assert held(space) == set()


def test_r_adh_3_a_cancelled_request_cannot_be_cancelled_nor_resent_again(logged, asked, spool):
    made, _ = asked
    shown(logged.post(cancel_url(made.pk), {"confirm": "oui"}))
    before = steps.letters(spool)
    for url, data in ((cancel_url(made.pk), {}), (cancel_url(made.pk), {"confirm": "oui"}), (resend_url(made.pk), {})):
        assert said("adhesion_not_pending") in shown(logged.post(url, data))
    assert steps.letters(spool) == before


def test_r_adh_3_resend_once_a_new_code_the_old_void_a_new_60_days(
    logged, space, asked, spool, time_machine, django_capture_on_commit_callbacks
):
    made, old_code = asked
    later = NOW + timedelta(days=20)
    time_machine.move_to(later, tick=False)
    steps.enter(logged, space)
    before = steps.letters(spool)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged.post(resend_url(made.pk))
    [letter] = steps.letters(spool) - before
    new_code = steps.code_in(letter)
    assert new_code != old_code
    text = text_of(letter)
    assert "SARL MARTIN DISTRIBUTION\n12 RUE DE LA PAIX\n75002 PARIS\n" in text
    assert "Ce code est valable jusqu'au 21 février 2027" in text

    page = shown(response)
    until = clock.long_date(later + timedelta(days=60))
    assert until == "21 février 2027"
    assert said("adhesion_resent", name="SARL MARTIN DISTRIBUTION", siren="732 829 320", until=until) in page
    assert f"Code valable jusqu'au {until}." in page
    assert "Le courrier a été renvoyé le 23 décembre 2026 : il ne peut pas être renvoyé une nouvelle fois." in page
    assert resend_url(made.pk) not in page and cancel_url(made.pk) in page  # cancel stays possible
    assert new_code not in page and old_code not in page  # never on screen (R-ADH-3)
    made.refresh_from_db()
    assert made.resends == 1 and made.expires_at == later + timedelta(days=60)
    assert made.pending.expires_at == made.expires_at and made.created_at == NOW

    again = logged.post(resend_url(made.pk))
    assert said("adhesion_resent_already") in shown(again)
    assert len(steps.letters(spool)) == 2  # the first letter and the one resent

    assert journey.activate(Client(), old_code, EMAIL).status_code == 400
    assert held(space) == set()
    done = journey.activate(Client(), new_code, EMAIL)
    assert done.status_code == 302
    assert held(space) == {"consulter_compte_fiscal", "declarer_tva", "payer_tva"}
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.ACTIVATED
    assert set(Habilitation.objects.filter(space=space).values_list("role", flat=True)) == {Role.TITULAIRE}


def test_r_adh_3_the_new_letter_is_good_for_60_days_from_its_sending_not_from_the_request(
    logged, space, asked, spool, time_machine, django_capture_on_commit_callbacks
):
    made, _ = asked
    time_machine.move_to(NOW + timedelta(days=59), tick=False)
    new_code = steps.resend(django_capture_on_commit_callbacks, spool, made)
    time_machine.move_to(NOW + timedelta(days=100), tick=False)  # past the first deadline
    assert journey.activate(Client(), new_code, EMAIL).status_code == 302
    assert held(space) == {"consulter_compte_fiscal", "declarer_tva", "payer_tva"}


def test_r_adh_3_an_expired_request_is_neither_cancelled_nor_resent(logged, space, asked, spool, time_machine):
    made, code = asked
    time_machine.move_to(NOW + timedelta(days=60), tick=False)
    steps.enter(logged, space)
    before = steps.letters(spool)
    assert said("adhesion_not_pending") in shown(logged.post(resend_url(made.pk)))
    assert said("adhesion_not_pending") in shown(logged.post(cancel_url(made.pk)))
    assert said("adhesion_not_pending") in shown(logged.post(cancel_url(made.pk), {"confirm": "oui"}))
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.PENDING and made.resends == 0
    assert steps.letters(spool) == before


def test_r_adh_3_a_resend_the_register_refuses_changes_nothing(logged, asked, spool, companies):
    made, code = asked
    companies.KNOWN.pop(companies.MARTIN)  # the company left the register meanwhile
    assert said("adhesion_company_unknown") in shown(logged.post(resend_url(made.pk)))
    made.refresh_from_db()
    assert made.resends == 0 and made.pending.expires_at > clock.now()  # the first code still works
    companies.add_company(companies.MARTIN, "SARL MARTIN DISTRIBUTION", [])
    assert said("adhesion_no_siege") in shown(logged.post(resend_url(made.pk)))
    assert journey.activate(Client(), code, EMAIL).status_code == 302


def test_r_hab_2_another_spaces_request_is_a_404_for_both_actions(client, asked, spool):
    made, code = asked
    steps.enter(client, SpaceFactory())
    for url in (cancel_url(made.pk), resend_url(made.pk)):
        assert client.post(url).status_code == 404
        assert client.post(url, {"confirm": "oui"}).status_code == 404
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.PENDING and made.resends == 0
    assert len(steps.letters(spool)) == 1


def test_r_adh_3_post_only_and_for_a_logged_in_space_only(client, logged, asked):
    made, _ = asked
    for url in (cancel_url(made.pk), resend_url(made.pk)):
        assert logged.get(url).status_code == 405
        assert logged.head(url).status_code == 405
    anonymous = Client()
    for url in (cancel_url(made.pk), resend_url(made.pk)):
        response = anonymous.post(url, {"confirm": "oui"})
        assert response.status_code == 302 and response["Location"] == "/"
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.PENDING and made.resends == 0


def test_r_adh_3_the_actions_need_the_csrf_token(space, asked):
    made, _ = asked
    client = Client(enforce_csrf_checks=True)
    steps.enter(client, space)
    assert client.post(cancel_url(made.pk), {"confirm": "oui"}).status_code == 403
    assert client.post(resend_url(made.pk)).status_code == 403
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.PENDING and made.resends == 0


@pytest.mark.parametrize(
    "pk", ["999999999999999999999", "9223372036854775808", "0", "-1", "abc", "1.5", "%00", "1%20", "١٢"]
)
def test_r_hab_2_hostile_ids_are_a_404_never_a_500(logged, asked, pk):
    for url in (cancel_url(pk), resend_url(pk)):
        assert logged.post(url, {"confirm": "oui"}).status_code == 404, url
    assert PendingRequest.objects.filter(expires_at__gt=clock.now()).count() == 1


def test_r_hab_2_every_action_of_a_request_id_answers_404_to_another_space(client, asked):
    """Walks habilitations' URL patterns: each one with a request id refuses another space's."""
    from habilitations.urls import urlpatterns

    made, _ = asked
    steps.enter(client, SpaceFactory())
    with_ids = [pattern for pattern in urlpatterns if "<int:pk>" in str(pattern.pattern)]
    assert {pattern.name for pattern in with_ids} >= {"cancel", "resend"}
    for pattern in with_ids:
        url = "/" + str(pattern.pattern).replace("<int:pk>", str(made.pk))
        assert client.post(url, {"confirm": "oui"}).status_code == 404, url
