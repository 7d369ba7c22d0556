"""R-DEL-1: an end date ends access the day after it, by itself (Paris day, R-TIME-1): no job
runs, the policy's live() reads the date at each check. At 23:59 in Paris on the end date the
délégataire still has the service (home, service page, policy.access); at 00:00 the day after
it has not, and the grantor side's list says "Arrivée à échéance"."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse

from habilitations import policy
from habilitations.models import Delegation
from tests.companies import MARTIN
from tests.habilitations import builders, steps
from tests.habilitations.delegating import LIST, answer_url, cabinet, revoke_url, service_url, titulaire

pytestmark = pytest.mark.django_db
END = date(2027, 3, 31)
# Summer time in Paris (UTC+2) on 31 March 2027.
LAST_MINUTE = datetime(2027, 3, 31, 21, 59, tzinfo=UTC)  # 23:59 in Paris
NEXT_DAY = datetime(2027, 3, 31, 22, 0, tzinfo=UTC)  # 00:00 on 1 April in Paris


@pytest.fixture
def delegated(time_machine):
    time_machine.move_to(datetime(2026, 12, 3, 9, 30, tzinfo=UTC), tick=False)
    grantor, delegate_space = titulaire(), cabinet()
    delegation = builders.accepted_delegation(grantor, delegate_space, MARTIN, ends_on=END)
    return grantor, delegate_space, delegation


def seen(time_machine, space, moment):
    time_machine.move_to(moment, tick=False)
    client = Client()
    steps.enter(client, space)
    return client


def test_r_del_1_access_holds_until_23_59_in_paris_on_the_end_date(delegated, time_machine):
    _grantor, delegate_space, _delegation = delegated
    client = seen(time_machine, delegate_space, LAST_MINUTE)
    assert policy.access(delegate_space, MARTIN).holds("declarer_tva")
    assert service_url() in client.get(reverse("espace:home")).content.decode()
    page = client.get(service_url())
    assert page.status_code == 200 and "31 mars 2027 inclus" in page.content.decode()


def test_r_del_1_access_ends_at_midnight_the_day_after_without_a_job(delegated, time_machine):
    grantor, delegate_space, delegation = delegated
    client = seen(time_machine, delegate_space, NEXT_DAY)
    assert policy.access(delegate_space, MARTIN) is None
    assert service_url() not in client.get(reverse("espace:home")).content.decode()
    assert client.get(service_url()).status_code == 404
    delegation.refresh_from_db()
    assert delegation.state == Delegation.State.ACCEPTED and delegation.habilitations.get().ended_at is None  # no job ran
    page = client.get(LIST).content.decode()
    assert "Arrivée à échéance le 31 mars 2027" in page and answer_url(delegation.pk, "renoncer") not in page
    mine = seen(time_machine, grantor, NEXT_DAY).get(LIST).content.decode()
    assert "Arrivée à échéance le 31 mars 2027" in mine and revoke_url(delegation.pk) not in mine
