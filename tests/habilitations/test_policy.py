"""R-HAB-2: the one policy module (habilitations.policy) and the decorator of every dossier view."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import resolve_url
from django.test import Client

from habilitations import policy
from habilitations.models import Habilitation, Role
from tests.accounts import journey
from tests.companies import DUPONT, MARTIN, SANS_SIEGE
from tests.factories import SpaceFactory
from tests.habilitations import builders

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"


def live_ids(space, now=None):
    return set(policy.live_habilitations(space, now).values_list("pk", flat=True))


# live(): ended_at, ends_on on the Paris day

def test_r_hab_2_an_ended_habilitation_gives_nothing():
    space = SpaceFactory()
    kept = builders.grant(space, MARTIN, "declarer_tva")
    ended = builders.grant(space, MARTIN, "payer_tva", ended_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert live_ids(space) == {kept.pk}
    assert ended.pk not in set(Habilitation.objects.filter(policy.live()).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("ends_on", "last_live", "first_dead"),
    [
        # Summer (CEST, UTC+2): the delegation ends at midnight Paris, 22:00 UTC.
        (date(2026, 6, 30), datetime(2026, 6, 30, 21, 59, 59, tzinfo=UTC), datetime(2026, 6, 30, 22, 0, tzinfo=UTC)),
        # Winter (CET, UTC+1): 23:00 UTC.
        (date(2026, 12, 31), datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC), datetime(2026, 12, 31, 23, 0, tzinfo=UTC)),
    ],
)
def test_r_hab_2_a_delegation_lives_through_its_end_date_in_paris(ends_on, last_live, first_dead):
    space = SpaceFactory()
    delegation = builders.grant(space, MARTIN, "declarer_tva", Role.DELEGATAIRE, ends_on=ends_on)
    with time_machine.travel(last_live, tick=False):
        assert live_ids(space) == {delegation.pk}
        assert policy.access(space, MARTIN).holds("declarer_tva")
    with time_machine.travel(first_dead, tick=False):
        assert live_ids(space) == set()
        assert policy.access(space, MARTIN) is None
        assert list(policy.dossiers(space)) == []
    # The moment may be given instead of read from the clock.
    assert live_ids(space, last_live) == {delegation.pk} and live_ids(space, first_dead) == set()


def test_r_hab_2_anonymous_and_inactive_spaces_get_nothing():
    space = SpaceFactory()
    builders.grant(space, MARTIN, "declarer_tva")
    assert list(policy.live_habilitations(AnonymousUser())) == []
    assert policy.access(AnonymousUser(), MARTIN) is None
    assert list(policy.dossiers(AnonymousUser())) == []
    assert list(policy.live_habilitations(None)) == []
    space.is_active = False
    space.save(update_fields=["is_active"])
    assert list(policy.live_habilitations(space)) == []
    assert policy.access(space, MARTIN) is None and list(policy.dossiers(space)) == []


# dossiers()

def test_r_hab_2_dossiers_by_name_then_siren_each_once():
    space, other = SpaceFactory(), SpaceFactory()
    builders.grant(space, DUPONT, "declarer_tva", name="ALPHA")
    builders.grant(space, DUPONT, "payer_tva", name="ALPHA")  # two services: the dossier once
    builders.grant(space, DUPONT, "declarer_is", Role.DELEGATAIRE, name="ALPHA")
    builders.grant(space, SANS_SIEGE, "declarer_tva", name="BETA")
    builders.grant(space, MARTIN, "declarer_tva", name="ALPHA")  # same name: by SIREN
    builders.grant(space, "404483117", "declarer_tva", name="AAA", ended_at=datetime(2026, 1, 1, tzinfo=UTC))
    builders.grant(other, "443061841", "declarer_tva", name="AAA")  # another space's
    assert [dossier.siren for dossier in policy.dossiers(space)] == [DUPONT, MARTIN, SANS_SIEGE]
    assert [dossier.siren for dossier in policy.dossiers(other)] == ["443061841"]


# access(): roles by service

def test_r_hab_2_access_roles_by_service_code():
    space, other = SpaceFactory(), SpaceFactory()
    builders.grant(space, MARTIN, "declarer_tva")
    builders.grant(space, MARTIN, "payer_tva", Role.DELEGATAIRE)
    builders.grant(other, MARTIN, "declarer_is")
    builders.grant(space, DUPONT, "declarer_is")
    access = policy.access(space, MARTIN)
    assert access.dossier.siren == MARTIN and access.space == space
    assert access.roles == {"declarer_tva": "titulaire", "payer_tva": "delegataire"}
    assert [row.service.code for row in access.habilitations] == ["declarer_tva", "payer_tva"]
    assert access.is_titulaire
    assert access.holds("declarer_tva") and access.holds(builders.service("payer_tva"))
    assert not access.holds("declarer_is") and not access.holds(builders.service("declarer_is"))  # other's, other dossier's
    assert access.role("payer_tva") == Role.DELEGATAIRE and access.role(builders.service("declarer_tva")) == Role.TITULAIRE
    assert access.role("declarer_is") is None


def test_r_hab_2_access_none_for_a_dossier_held_by_others_only_or_unknown():
    space = SpaceFactory()
    builders.grant(SpaceFactory(), MARTIN, "declarer_tva")
    assert policy.access(space, MARTIN) is None
    assert policy.access(space, "123456782") is None
    assert policy.access(space, "") is None


def test_r_hab_2_a_delegate_only_is_not_titulaire():
    space = SpaceFactory()
    builders.grant(space, MARTIN, "declarer_tva", Role.DELEGATAIRE)
    builders.grant(space, MARTIN, "payer_tva", Role.SUPPLEANT)
    access = policy.access(space, MARTIN)
    assert not access.is_titulaire and access.roles == {"declarer_tva": "delegataire", "payer_tva": "suppleant"}


@pytest.mark.parametrize(
    ("first", "second", "wins"),
    [
        (Role.TITULAIRE, Role.DELEGATAIRE, Role.TITULAIRE),
        (Role.DELEGATAIRE, Role.TITULAIRE, Role.TITULAIRE),
        (Role.SUPPLEANT, Role.DELEGATAIRE, Role.SUPPLEANT),
        (Role.DELEGATAIRE, Role.SUPPLEANT, Role.SUPPLEANT),
        (Role.SUPPLEANT, Role.TITULAIRE, Role.TITULAIRE),
    ],
)
def test_r_hab_2_the_higher_role_on_one_service_wins_whatever_the_row_order(first, second, wins):
    space = SpaceFactory()
    rows = [builders.grant(space, MARTIN, "declarer_tva", first), builders.grant(space, MARTIN, "declarer_tva", second)]
    access = policy.access(space, MARTIN)
    assert access.roles == {"declarer_tva": wins}
    assert {row.pk for row in access.habilitations} == {row.pk for row in rows}
    assert access.is_titulaire is (wins == Role.TITULAIRE)


def test_r_hab_2_access_is_read_at_each_call():
    space = SpaceFactory()
    held = builders.grant(space, MARTIN, "declarer_tva")
    assert policy.access(space, MARTIN) is not None
    held.ended_at = datetime(2026, 1, 1, tzinfo=UTC)
    held.save(update_fields=["ended_at"])
    assert policy.access(space, MARTIN) is None


# own_request()

def test_r_hab_2_own_request_only_for_its_space(settings, tmp_path):
    settings.LETTER_SPOOL_DIR = tmp_path
    space, other = SpaceFactory(), SpaceFactory()
    mine = builders.request(space, MARTIN)
    theirs = builders.request(other, DUPONT)
    assert policy.own_request(space, mine.pk) == mine
    assert policy.own_request(space, mine.pk).dossier.siren == MARTIN
    assert policy.own_request(space, theirs.pk) is None
    assert policy.own_request(space, 10**9) is None
    assert policy.own_request(space, str(mine.pk)) == mine  # from a form field
    for typed in ("abc", "", None, "1.5", "1 OR 1=1", 10**30, -1, "\x00"):  # whatever id is typed: no 500
        assert policy.own_request(space, typed) is None
    assert policy.own_request(AnonymousUser(), mine.pk) is None
    assert policy.own_request(None, mine.pk) is None


# dossier_view

@pytest.fixture
def essai_urls(settings):
    settings.ROOT_URLCONF = "tests.habilitations.urls_policy"


@pytest.fixture
def space(client):
    space = SpaceFactory(login_email=EMAIL)
    assert journey.login(client, EMAIL).status_code == 302
    return space


def test_r_hab_2_dossier_view_anonymous_goes_to_login(essai_urls, settings):
    builders.grant(SpaceFactory(), MARTIN, "declarer_tva")
    answer = Client().get(f"/essai/dossiers/{MARTIN}")
    assert answer.status_code == 302 and answer.url == resolve_url(settings.LOGIN_URL) == "/"


def test_r_hab_2_dossier_view_another_space_dossier_is_not_found(client, space, essai_urls):
    builders.grant(SpaceFactory(), MARTIN, "declarer_tva")
    builders.grant(space, DUPONT, "declarer_tva")
    assert client.get(f"/essai/dossiers/{MARTIN}").status_code == 404
    assert client.get(f"/essai/dossiers/{MARTIN}/services/declarer_tva").status_code == 404


def test_r_hab_2_dossier_view_unknown_siren_is_not_found_the_same_way(client, space, essai_urls):
    builders.grant(SpaceFactory(), MARTIN, "declarer_tva")
    held_by_another = client.get(f"/essai/dossiers/{MARTIN}")
    unknown = client.get("/essai/dossiers/123456782")
    garbage = client.get("/essai/dossiers/%27%20OR%201=1")
    assert held_by_another.status_code == unknown.status_code == garbage.status_code == 404
    assert held_by_another.content == unknown.content  # no oracle on SIRENs


def test_r_hab_2_dossier_view_gets_the_access_read_now(client, space, essai_urls):
    held = builders.grant(space, MARTIN, "declarer_tva")
    builders.grant(space, MARTIN, "payer_tva", Role.DELEGATAIRE)
    answer = client.get(f"/essai/dossiers/{MARTIN}/services/payer_tva")
    assert answer.status_code == 200
    assert answer.json() == {
        "siren": MARTIN,
        "space": space.pk,
        "roles": {"declarer_tva": "titulaire", "payer_tva": "delegataire"},
        "titulaire": True,
        "kwargs": {"code": "payer_tva"},
    }
    held.ended_at = datetime(2026, 1, 1, tzinfo=UTC)  # never from the session's memory
    held.save(update_fields=["ended_at"])
    assert client.get(f"/essai/dossiers/{MARTIN}").json()["roles"] == {"payer_tva": "delegataire"}
    Habilitation.objects.filter(space=space).update(ended_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert client.get(f"/essai/dossiers/{MARTIN}").status_code == 404
