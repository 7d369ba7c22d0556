"""R-DEL-1 under races: the delegate accepting while a manager revokes gives one final state.

Each change locks the Delegation row (select_for_update) and reads its state again under the
lock: whichever comes second sees what the first did. Accept first, then revoke: revoked, the
rows just created ended. Revoke first: the acceptance is refused, no row. Either way the
delegation ends revoked and the delegate holds nothing. Sequentially here (SQLite too); with
two threads, each its own connection, on the real PostgreSQL (marked postgres).
"""

from datetime import UTC, datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from catalogue.models import Service
from habilitations.models import Delegation, Habilitation
from habilitations.services import delegations
from habilitations.services.delegations import DelegationRefused
from tests.companies import MARTIN
from tests.conftest import need
from tests.habilitations import builders
from tests.habilitations.delegating import cabinet, titulaire
from tests.threads import run_threads

NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def catalogue():
    """The catalogue's rows, which an earlier transactional test's flush took (as tests/habilitations/test_races.py)."""
    if not Service.objects.exists():
        import_module("catalogue.migrations.0002_guide_001").load(apps, None)


def final(delegation):
    delegation.refresh_from_db()
    live = Habilitation.objects.filter(delegation=delegation, ended_at__isnull=True).count()
    return delegation.state, live


@pytest.mark.django_db
def test_r_del_1_accept_then_revoke_ends_revoked_with_no_live_row():
    grantor, delegate_space = titulaire(), cabinet()
    offered = builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva", "payer_tva"], now=NOW)
    stale = Delegation.objects.get(pk=offered.pk)  # what the revoking request had read
    delegations.accept(delegation=offered, now=NOW)
    delegations.revoke(delegation=stale, actor=grantor, now=NOW)
    assert final(offered) == (Delegation.State.REVOKED, 0)
    assert Habilitation.objects.filter(delegation=offered).count() == 2


@pytest.mark.django_db
def test_r_del_1_revoke_then_accept_refuses_the_acceptance():
    grantor, delegate_space = titulaire(), cabinet()
    offered = builders.delegate(grantor, delegate_space, MARTIN, now=NOW)
    stale = Delegation.objects.get(pk=offered.pk)  # read "offered" by the accepting request
    delegations.revoke(delegation=offered, actor=grantor, now=NOW)
    assert stale.state == Delegation.State.OFFERED
    with pytest.raises(DelegationRefused, match="delegation_not_offered"):
        delegations.accept(delegation=stale, now=NOW)
    assert final(offered) == (Delegation.State.REVOKED, 0)
    assert not Habilitation.objects.filter(delegation=offered).exists()


@pytest.mark.django_db
def test_r_del_1_renounce_and_revoke_one_after_the_other_give_one_final_state():
    grantor, delegate_space = titulaire(), cabinet()
    accepted = builders.accepted_delegation(grantor, delegate_space, MARTIN, now=NOW)
    stale = Delegation.objects.get(pk=accepted.pk)
    delegations.renounce(delegation=accepted, now=NOW)
    with pytest.raises(DelegationRefused, match="delegation_not_active"):
        delegations.revoke(delegation=stale, actor=grantor, now=NOW)
    assert final(accepted) == (Delegation.State.RENOUNCED, 0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(5))
def test_r_del_1_accept_while_revoking_at_the_same_moment_gives_one_final_state(catalogue, round_):
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")
    assert Service.objects.exists()
    grantor, delegate_space = titulaire(), cabinet()
    offered = builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva", "payer_tva"], now=NOW)

    def change(index):
        mine = Delegation.objects.get(pk=offered.pk)  # each thread reads "offered", then races
        try:
            if index == 0:
                delegations.accept(delegation=mine, now=NOW)
                return "accepted"
            delegations.revoke(delegation=mine, actor=grantor, now=NOW)
            return "revoked"
        except DelegationRefused as refused:
            return refused.code

    results, errors = run_threads(2, change)

    assert not errors
    assert sorted(results) in (["accepted", "revoked"], ["delegation_not_offered", "revoked"])
    assert final(offered) == (Delegation.State.REVOKED, 0)
    granted = Habilitation.objects.filter(delegation=offered).count()
    assert granted == (2 if "accepted" in results else 0)
    assert Delegation.objects.count() == 1


@pytest.mark.django_db
def test_r_del_1_a_second_offer_of_a_waiting_service_to_the_same_person_is_refused():
    """Two "Valider" (a double click, a second tab): the second offer would add nothing."""
    grantor, delegate_space = titulaire(), cabinet()
    first = builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva"], now=NOW)
    with pytest.raises(DelegationRefused, match="delegation_already_offered") as refused:
        builders.delegate(grantor, delegate_space, MARTIN, ["payer_tva", "declarer_tva"], now=NOW)
    assert [service.code for service in refused.value.services] == ["declarer_tva"]
    assert "attend déjà sa réponse : Déclarer › TVA" in refused.value.message()
    other = builders.delegate(grantor, delegate_space, MARTIN, ["payer_tva"], now=NOW)  # another service
    assert Delegation.objects.count() == 2
    delegations.refuse(delegation=first, now=NOW)  # answered: it no longer waits
    again = builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva"], now=NOW)
    assert {first.pk, other.pk, again.pk} == set(Delegation.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_r_del_1_an_offer_past_its_answer_time_waits_no_more():
    grantor, delegate_space = titulaire(), cabinet()
    builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva"], now=NOW)
    later = NOW + settings.DELEGATION_ANSWER_TTL
    assert builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva"], now=later).pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_del_1_two_valider_at_once_make_one_offer(catalogue):
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")
    grantor, delegate_space = titulaire(), cabinet()

    def valider(index):
        try:
            return builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva", "payer_tva"], now=NOW).pk
        except DelegationRefused as refused:
            return refused.code

    results, errors = run_threads(5, valider)
    assert not errors
    assert sorted(results, key=str).count("delegation_already_offered") == 4
    assert Delegation.objects.count() == 1
