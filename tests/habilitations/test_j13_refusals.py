"""J13's refusals (R-DEL-1): every way the form, the recap, "Valider" and the delegate's
answers say no, in French by the field, nothing half-written; the 30-day answer window
(void by the clock, shown "Expirée"); services the grantor no longer manages at acceptance."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils.html import escape

from core.messages import message
from core.models import AuditEvent
from habilitations import policy
from habilitations.events import Kind as Event
from habilitations.flows.delegations import DRAFT_KEY
from habilitations.models import Delegation, Habilitation, Role, Suppleance
from habilitations.services import delegations
from habilitations.services.delegations import DelegationRefused
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders, steps
from tests.habilitations.delegating import (  # noqa: F401 (now, grantor, delegate_space: fixtures)
    answer_url, cabinet, delegate_space, form_data, grantor, LIST, mails, new_url, now, NOW, NUMBER_A,
    NUMBER_B, recap_url, service_url, session, suppleant_of, titulaire,
)

pytestmark = pytest.mark.django_db


def refused_on(response, field: str, text: str, status=400):
    assert response.status_code == status
    html = response.content.decode()
    assert escape(text) in html
    assert f'id="id_{field}' in html
    assert not Delegation.objects.exists()
    return html


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"services": []}, "services", "required"),
        ({"services": ["consulter_compte_fiscal"]}, "services", "choice_invalid"),
        ({"number": "123"}, "subscriber_number", None),
        ({"number": ""}, "subscriber_number", "required"),
        ({"last_name": ""}, "last_name", "required"),
        ({"ends_on": "2026-12-02"}, "ends_on", "delegation_end_past"),
        ({"ends_on": "31/02/2027"}, "ends_on", "delegation_date_invalid"),
        ({"ends_on": "demain"}, "ends_on", "delegation_date_invalid"),
    ],
)
def test_r_del_1_the_form_refuses_by_the_field(grantor, delegate_space, data, field, code):
    response = session(grantor).post(new_url(), form_data(**data))
    text = message(code) if code else "Saisissez un numéro d'abonné de 14 chiffres."
    refused_on(response, field, text)


@pytest.mark.parametrize(
    "data",
    [
        {"number": "20260549999999"},  # nobody's
        {"last_name": "Dupont"},  # another name
        {"number": NUMBER_A, "last_name": "Martin"},  # oneself
    ],
)
def test_r_del_1_one_refusal_for_every_mismatch_of_the_delegate(grantor, delegate_space, data):
    response = session(grantor).post(new_url(), form_data(**data))
    refused_on(response, "subscriber_number", message("designation_unknown"))
    assert AuditEvent.objects.filter(space=grantor, kind=Event.DESIGNATION_REFUSED).count() == 1


def test_r_del_1_a_closed_space_is_unknown_too(grantor, delegate_space):
    delegate_space.is_active = False
    delegate_space.save()
    refused_on(session(grantor).post(new_url(), form_data()), "subscriber_number", message("designation_unknown"))


def test_r_del_1_today_is_a_valid_end_date_and_spaces_in_the_number_are_accepted(grantor, delegate_space):
    response = session(grantor).post(new_url(), form_data(number="2026 0540 0002 02", ends_on="03/12/2026"))
    assert response.status_code == 302
    assert response.client.session[DRAFT_KEY]["ends_on"] == "2026-12-03"


def test_r_del_1_the_delegate_already_holding_the_service_is_said(grantor, delegate_space):
    builders.grant(delegate_space, MARTIN, "declarer_tva", Role.DELEGATAIRE, granted_by=grantor)
    response = session(grantor).post(new_url(), form_data())
    refused_on(response, "subscriber_number", message("delegation_delegate_holds", services="Déclarer › TVA"))


def test_r_del_1_the_designation_check_is_throttled(grantor, delegate_space, settings):
    settings.THROTTLE_POLICIES = {**settings.THROTTLE_POLICIES, "designations_per_space": {"limit": 2, "window": timedelta(hours=1)}}
    client = session(grantor)
    for _ in range(2):
        assert client.post(new_url(), form_data(last_name="Autre")).status_code == 400
    refused_on(client.post(new_url(), form_data()), "subscriber_number", message("designation_throttled"), status=429)


def test_r_del_1_back_to_the_form_keeps_the_services_and_date(grantor, delegate_space):
    client = session(grantor)
    client.post(new_url(), form_data(services=["payer_tva"], ends_on="2027-01-15"))
    html = client.get(new_url()).content.decode()
    assert 'value="payer_tva" id="id_services-payer_tva" checked' in html
    assert 'value="declarer_tva" id="id_services_0">' in html
    assert 'value="2027-01-15"' in html


def test_r_del_1_the_recap_without_a_draft_goes_back_to_the_form(grantor):
    client = session(grantor)
    assert client.get(recap_url())["Location"] == new_url()
    assert client.post(recap_url())["Location"] == new_url()
    assert not Delegation.objects.exists()


def test_r_del_1_a_draft_of_another_dossier_is_not_this_one_s(grantor, delegate_space):
    builders.grant(grantor, DUPONT, "declarer_tva", name="DUPONT ET FILS")
    client = session(grantor)
    client.post(new_url(), form_data())
    assert client.get(recap_url(DUPONT))["Location"] == new_url(DUPONT)
    assert client.get(recap_url()).status_code == 200


def test_r_del_1_valider_checks_again_a_service_lost_meanwhile(grantor, delegate_space):
    client = session(grantor)
    client.post(new_url(), form_data(services=["declarer_tva", "payer_tva"]))
    Habilitation.objects.filter(space=grantor, service__code="payer_tva").update(ended_at=NOW)
    response = client.post(recap_url())
    assert response.status_code == 409
    html = response.content.decode()
    # The form again: the service is no longer offered, the person is to be typed again.
    assert escape(message("delegation_services_not_managed", services="Payer › TVA")) in html
    assert not Delegation.objects.exists()
    assert client.get(recap_url()).status_code == 409


def test_r_del_1_valider_checks_again_the_delegate_s_space(grantor, delegate_space):
    client = session(grantor)
    client.post(new_url(), form_data())
    delegate_space.is_active = False
    delegate_space.save()
    response = client.post(recap_url())
    assert response.status_code == 409 and escape(message("designation_unknown")) in response.content.decode()
    assert not Delegation.objects.exists() and mails(delegate_space) == []


def test_r_del_1_valider_checks_again_an_end_date_passed_meanwhile(grantor, delegate_space, time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 22, 55, tzinfo=UTC), tick=False)  # 23:55 in Paris
    client = session(grantor)
    assert client.post(new_url(), form_data(ends_on="2026-12-03")).status_code == 302
    time_machine.move_to(datetime(2026, 12, 3, 23, 5, tzinfo=UTC), tick=False)  # 00:05 the day after
    response = client.post(recap_url())
    assert response.status_code == 409 and escape(message("delegation_end_past")) in response.content.decode()
    assert not Delegation.objects.exists()


def test_r_del_1_valider_twice_offers_once(grantor, delegate_space):
    client = session(grantor)
    client.post(new_url(), form_data())
    assert client.post(recap_url())["Location"] == LIST
    assert client.post(recap_url())["Location"] == new_url()
    assert Delegation.objects.count() == 1


def test_r_del_1_the_offer_is_void_after_30_days_by_the_clock(grantor, delegate_space, time_machine):
    offered = builders.delegate(grantor, delegate_space, MARTIN)
    assert offered.answer_by == NOW + timedelta(days=30)
    time_machine.move_to(offered.answer_by - timedelta(seconds=1), tick=False)
    theirs = session(delegate_space)
    assert answer_url(offered.pk, "accepter") in theirs.get(LIST).content.decode()
    time_machine.move_to(offered.answer_by, tick=False)
    steps.enter(theirs, delegate_space)
    page = theirs.get(LIST).content.decode()
    assert "Expirée" in page and answer_url(offered.pk, "accepter") not in page
    assert "Expirée" in session(grantor).get(LIST).content.decode()
    for verb in ("accepter", "refuser"):
        assert theirs.post(answer_url(offered.pk, verb))["Location"] == LIST
        assert escape(message("delegation_expired")) in theirs.get(LIST).content.decode()
    offered.refresh_from_db()
    assert offered.state == Delegation.State.OFFERED  # nothing ran: void by the clock alone
    assert not Habilitation.objects.filter(space=delegate_space).exists()
    with pytest.raises(DelegationRefused, match="delegation_not_active"):
        delegations.revoke(delegation=offered, actor=grantor, now=offered.answer_by)


def test_r_del_1_the_offer_accepted_just_before_its_deadline_holds(grantor, delegate_space, time_machine):
    offered = builders.delegate(grantor, delegate_space, MARTIN)
    delegations.accept(delegation=offered, now=offered.answer_by - timedelta(seconds=1))
    assert Habilitation.objects.filter(space=delegate_space, role=Role.DELEGATAIRE).count() == 1


def test_r_del_1_at_acceptance_only_the_services_still_managed_are_granted(grantor, delegate_space):
    offered = builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva", "payer_tva"])
    Habilitation.objects.filter(space=grantor, service__code="payer_tva").update(ended_at=NOW)
    accepted = delegations.accept(delegation=offered, now=NOW)
    assert list(Habilitation.objects.filter(space=delegate_space).values_list("service__code", flat=True)) == ["declarer_tva"]
    assert accepted.state == Delegation.State.ACCEPTED
    _subject, body = mails(grantor)[-1]
    assert "Déclarer › TVA" in body and "Payer › TVA" not in body
    page = session(delegate_space).get(LIST).content.decode()
    assert "Déclarer › TVA" in page and "Payer › TVA" not in page
    event = AuditEvent.objects.get(space=delegate_space, kind=Event.DELEGATION_ACCEPTED)
    assert event.detail["services"] == ["declarer_tva"]


def test_r_del_1_nothing_left_to_grant_refuses_the_acceptance_and_keeps_the_offer(grantor, delegate_space):
    suppleant = suppleant_of(grantor)
    offered = builders.delegate(suppleant, delegate_space, MARTIN)
    # The suppléant is put on hold: its rows are not live, it may not hand them on now.
    Suppleance.objects.update(state=Suppleance.State.ON_HOLD)
    Habilitation.objects.filter(space=suppleant).update(on_hold=True)
    theirs = session(delegate_space)
    theirs.post(answer_url(offered.pk, "accepter"))
    assert escape(message("delegation_nothing_left")) in theirs.get(LIST).content.decode()
    offered.refresh_from_db()
    assert offered.state == Delegation.State.OFFERED
    assert not Habilitation.objects.filter(space=delegate_space).exists()
    # Reactivated, the offer can be accepted (within its 30 days).
    Habilitation.objects.filter(space=suppleant).update(on_hold=False)
    delegations.accept(delegation=offered, now=NOW)
    assert Habilitation.objects.filter(space=delegate_space, ended_at__isnull=True).count() == 1


def test_r_del_1_a_delegate_who_gained_the_service_meanwhile_gets_nothing_twice(grantor, delegate_space):
    offered = builders.delegate(grantor, delegate_space, MARTIN)
    other = SpaceFactory(last_name="AUTRE")
    builders.grant(other, MARTIN, "consulter_compte_fiscal")
    builders.accepted_delegation(other, delegate_space, MARTIN, ["consulter_compte_fiscal"])
    Habilitation.objects.create(
        space=delegate_space, dossier=offered.dossier, service=builders.service("declarer_tva"), role=Role.DELEGATAIRE,
        granted_by=other, started_at=NOW,
    )
    with pytest.raises(DelegationRefused, match="delegation_nothing_left"):
        delegations.accept(delegation=offered, now=NOW)


def test_r_del_1_a_row_past_its_end_date_does_not_block_a_new_delegation(grantor, delegate_space, time_machine):
    first = builders.accepted_delegation(grantor, delegate_space, MARTIN, ends_on=date(2026, 12, 3))
    later = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    time_machine.move_to(later, tick=False)
    second = builders.accepted_delegation(grantor, delegate_space, MARTIN)
    old = Habilitation.objects.get(delegation=first)
    assert old.ended_at == later
    assert Habilitation.objects.get(delegation=second).ended_at is None
    assert policy.access(delegate_space, MARTIN).role("declarer_tva") == Role.DELEGATAIRE
    page = session(delegate_space).get(LIST).content.decode()
    assert "Arrivée à échéance le 3 décembre 2026" in page


def test_r_del_1_an_offer_whose_end_date_passed_before_the_answer_cannot_be_accepted(grantor, delegate_space):
    offered = builders.delegate(grantor, delegate_space, MARTIN, ends_on=date(2026, 12, 5))
    with pytest.raises(DelegationRefused, match="delegation_expired"):
        delegations.accept(delegation=offered, now=datetime(2026, 12, 6, 9, 0, tzinfo=UTC))


def test_r_del_1_renouncing_needs_an_accepted_delegation_in_force(grantor, delegate_space):
    offered = builders.delegate(grantor, delegate_space, MARTIN)
    with pytest.raises(DelegationRefused, match="delegation_not_active"):
        delegations.renounce(delegation=offered, now=NOW)
    theirs = session(delegate_space)
    theirs.post(answer_url(offered.pk, "renoncer"), {"confirm": "oui"})
    assert escape(message("delegation_not_active")) in theirs.get(LIST).content.decode()


def test_r_del_1_the_service_offers_only_what_the_grantor_manages(grantor, delegate_space):
    access = policy.access(grantor, MARTIN)
    with pytest.raises(DelegationRefused, match="delegation_services_not_managed") as refused:
        delegations.offer(grantor=grantor, access=access, delegate=delegate_space, services=["consulter_compte_fiscal"], ends_on=None, now=NOW)
    assert "Consulter" in refused.value.message()
    with pytest.raises(DelegationRefused, match="delegation_no_service"):
        delegations.offer(grantor=grantor, access=access, delegate=delegate_space, services=[], ends_on=None, now=NOW)
    with pytest.raises(DelegationRefused, match="delegation_not_allowed"):  # another space's access
        delegations.offer(grantor=delegate_space, access=access, delegate=grantor, services=["declarer_tva"], ends_on=None, now=NOW)
    with pytest.raises(DelegationRefused, match="delegation_not_allowed"):
        delegations.offer(grantor=grantor, access=None, delegate=delegate_space, services=["declarer_tva"], ends_on=None, now=NOW)
    with pytest.raises(DelegationRefused, match="designation_unknown"):
        delegations.offer(grantor=grantor, access=access, delegate=grantor, services=["declarer_tva"], ends_on=None, now=NOW)
    assert not Delegation.objects.exists()


def test_r_del_1_another_space_s_delegation_is_a_404(grantor, delegate_space):
    offered = builders.delegate(grantor, delegate_space, MARTIN)
    stranger = session(SpaceFactory(subscriber_number="20260540000999"))
    for verb in ("accepter", "refuser", "renoncer"):
        assert stranger.post(answer_url(offered.pk, verb), {"confirm": "oui"}).status_code == 404
        assert stranger.get(answer_url(offered.pk, verb)).status_code == 405
    # The grantor cannot answer its own offer either.
    assert session(grantor).post(answer_url(offered.pk, "accepter")).status_code == 404
    assert session(delegate_space).post(f"/espace/dossiers/{MARTIN}/delegations/{offered.pk}/revoquer", {"confirm": "oui"}).status_code == 404
    offered.refresh_from_db()
    assert offered.state == Delegation.State.OFFERED


def test_r_del_1_a_delegation_of_another_dossier_through_one_s_own_siren_is_a_404(grantor, delegate_space):
    """The pk is looked up on the URL's dossier only: a manager of MARTIN cannot reach DUPONT's."""
    other = SpaceFactory(subscriber_number="20260540000888")
    builders.grant(other, DUPONT, "declarer_tva", name="DUPONT ET FILS")
    theirs = builders.accepted_delegation(other, delegate_space, DUPONT)
    mine = session(grantor)
    assert mine.post(f"/espace/dossiers/{MARTIN}/delegations/{theirs.pk}/revoquer", {"confirm": "oui"}).status_code == 404
    assert mine.post(f"/espace/dossiers/{DUPONT}/delegations/{theirs.pk}/revoquer", {"confirm": "oui"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == Delegation.State.ACCEPTED
    assert "DUPONT ET FILS" not in mine.get(LIST).content.decode()


def test_r_del_1_a_manager_of_another_service_of_the_dossier_does_not_see_it(grantor, delegate_space):
    """delegation_given: only managers of one of the delegation's services see and revoke it."""
    other = SpaceFactory(subscriber_number="20260540000777")
    builders.grant(other, MARTIN, "consulter_compte_fiscal")
    given = builders.delegate(grantor, delegate_space, MARTIN)
    client = session(other)
    assert "LEFÈVRE" not in client.get(LIST).content.decode()
    assert client.post(f"/espace/dossiers/{MARTIN}/delegations/{given.pk}/revoquer", {"confirm": "oui"}).status_code == 404


def test_r_del_1_policy_lists_nothing_for_an_anonymous_or_closed_space(grantor, delegate_space):
    from django.contrib.auth.models import AnonymousUser

    builders.delegate(grantor, delegate_space, MARTIN)
    assert policy.delegations_received(delegate_space).count() == 1
    assert not policy.delegations_received(AnonymousUser()).exists()
    delegate_space.is_active = False
    assert not policy.delegations_received(delegate_space).exists()
    assert policy.delegations_given(grantor).count() == 1 and not policy.delegations_given(AnonymousUser()).exists()


def test_r_del_1_validate_without_a_draft_is_a_lookup_error(grantor, rf):
    from django.contrib.sessions.backends.db import SessionStore

    from habilitations.flows import delegations as flow

    request = rf.post(recap_url())
    request.user, request.session = grantor, SessionStore()
    with pytest.raises(LookupError):
        flow.validate(request, policy.access(grantor, MARTIN))
