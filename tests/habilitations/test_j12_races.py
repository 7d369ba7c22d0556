"""R-SUP-1 under real races: the designation's row decides, once.

(a) One designation confirmed at the same moment from many threads: one live designation,
    one set of rows (the database's one_live_suppleance). (b) "Mettre en veille" and
    "Supprimer" at the same moment: one final state, the rows agreeing with it (each action
    locks the designation's row, select_for_update, and checks its state under the lock).

Each thread has its own connection (tests/threads.py). Marked postgres as tests/habilitations/
test_races.py: on the SQLite file database of the test settings IMMEDIATE transactions
serialise them, which proves little, so they run on PostgreSQL only.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from catalogue.models import Service
from core import clock
from habilitations import policy
from habilitations.models import Habilitation, Suppleance
from habilitations.services import suppleants
from habilitations.services.suppleants import SuppleanceRefused
from tests.companies import MARTIN
from tests.conftest import need
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.threads import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")


@pytest.fixture(autouse=True)
def catalogue():
    if not Service.objects.exists():
        import_module("catalogue.migrations.0002_guide_001").load(apps, None)


def attempt(action):
    try:
        return action()
    except SuppleanceRefused as refused:
        return refused.code


def test_r_sup_1_one_designation_confirmed_ten_times_at_once_designates_once():
    titulaire, other = SpaceFactory(), SpaceFactory()
    builders.grant(titulaire, MARTIN, "declarer_tva")
    builders.grant(titulaire, MARTIN, "payer_tva")

    def designate(_index):
        return attempt(lambda: suppleants.designate(access=policy.access(titulaire, MARTIN), suppleant=other, now=clock.now()))

    results, errors = run_threads(10, designate)
    assert not errors
    assert sum(isinstance(result, Suppleance) for result in results) == 1
    assert sorted(result for result in results if isinstance(result, str)) == ["suppleant_already"] * 9
    assert Suppleance.objects.count() == 1 and Habilitation.objects.filter(space=other).count() == 2


def test_r_sup_1_hold_and_remove_at_once_give_one_final_state():
    titulaire, other = SpaceFactory(), SpaceFactory()
    builders.grant(titulaire, MARTIN, "declarer_tva")
    made = builders.suppleance(titulaire, MARTIN, other)
    actions = [suppleants.put_on_hold, suppleants.remove] * 5

    results, errors = run_threads(10, lambda index: attempt(lambda: actions[index](suppleance=made, now=clock.now())))
    assert not errors
    made.refresh_from_db()
    rows = list(Habilitation.objects.filter(space=other).values_list("on_hold", "ended_at"))
    assert made.state in ("removed", "on_hold")
    if made.state == "removed":
        assert all(ended is not None for _hold, ended in rows)
    else:
        assert rows == [(True, None)]
    changed = [result for result in results if isinstance(result, Suppleance)]
    assert 1 <= len(changed) <= 2 and all(result == "suppleant_state_changed" for result in results if isinstance(result, str))
