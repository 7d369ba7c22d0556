"""The rows the policy trusts never drift from what they come from (R-HAB-2, R-SUP-1, R-DEL-1, R-SUB-1).

habilitations.policy decides from Habilitation rows alone (ended_at, on_hold, ends_on): one
indexed query per request. That is sound only if every journey keeps those rows in step with
the designation or delegation they come from. Hypothesis draws sequences of the journeys'
services (designate, hold, reactivate, remove; offer, accept, refuse, revoke, renounce; an
adhesion and a substitution by letter code) over one cast, and after each step checks:

- a live suppléant row belongs to a live designation of that suppléant by the live titulaire
  of that service, and is on hold exactly when its designation is;
- a live designation holds a row for every service its titulaire holds there now;
- a live délégataire row belongs to an accepted delegation of that delegate, for one of its
  services; a delegation refused, revoked, renounced or ended has no live row left;
- one live titulaire per service (the database's constraint, asserted anyway).
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codes.errors import CodeVoid
from core import clock
from dossiers.models import Dossier
from habilitations import policy
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance
from habilitations.services import adhesion, delegations, substitution, suppleants
from habilitations.services.adhesion import AdhesionRefused
from habilitations.services.delegations import DelegationRefused
from habilitations.services.suppleants import SuppleanceRefused
from tests.companies import MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders

pytestmark = pytest.mark.django_db

REFUSALS = (SuppleanceRefused, DelegationRefused, AdhesionRefused, CodeVoid)
SERVICES = ("declarer_tva", "payer_tva", "consulter_compte_fiscal")
OPERATIONS = (
    "designate", "hold", "reactivate", "remove",
    "offer", "accept", "refuse", "revoke", "renounce",
    "adhere", "substitute",
)
STEPS = st.lists(
    st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 3), st.integers(0, 2), st.sampled_from(SERVICES)),
    min_size=1,
    max_size=14,
)


def cast():
    """T titulaire of TVA (déclarer, payer) on MARTIN; S0, S1 candidate suppléants; C0..C2 delegates; N a newcomer."""
    titulaire = SpaceFactory()
    builders.grant(titulaire, MARTIN, "declarer_tva", name="SARL MARTIN DISTRIBUTION")
    builders.grant(titulaire, MARTIN, "payer_tva")
    return {
        "actors": [titulaire, SpaceFactory(), SpaceFactory(), SpaceFactory()],  # T, S0, S1, N
        "delegates": [SpaceFactory(), SpaceFactory(), SpaceFactory()],
    }


def titulaire_of(code: str):
    row = Habilitation.objects.filter(
        dossier__siren=MARTIN, service__code=code, role=Role.TITULAIRE, ended_at__isnull=True
    ).select_related("space").first()
    return row.space if row else None


def step(world, operation: str, who: int, whom: int, code: str) -> None:
    """Apply one journey's service as its view would, refusals included."""
    now = clock.now()
    actors, delegates = world["actors"], world["delegates"]
    actor, delegate = actors[who], delegates[whom]
    suppleant = actors[1 + who % 2]
    designation = Suppleance.objects.filter(suppleant=suppleant, ended_at__isnull=True).order_by("-pk").first()
    offer = Delegation.objects.filter(delegate=delegate).order_by("-pk").first()
    if operation == "designate":
        allowed = policy.access(titulaire_of(code) or actor, MARTIN)
        if policy.may_designate_suppleants(allowed):
            suppleants.designate(access=allowed, suppleant=suppleant, now=now)
    elif operation in ("hold", "reactivate", "remove") and designation is not None:
        change = {"hold": suppleants.put_on_hold, "reactivate": suppleants.reactivate, "remove": suppleants.remove}
        change[operation](suppleance=designation, now=now)
    elif operation == "offer":
        allowed = policy.access(actor, MARTIN)
        if policy.may_delegate(allowed):
            delegations.offer(grantor=actor, access=allowed, delegate=delegate, services=[code], ends_on=None, now=now)
    elif operation in ("accept", "refuse", "renounce") and offer is not None:
        {"accept": delegations.accept, "refuse": delegations.refuse, "renounce": delegations.renounce}[operation](
            delegation=offer, now=now
        )
    elif operation == "revoke" and offer is not None:
        if policy.delegation_given(policy.access(actor, MARTIN), offer.pk) is not None:
            delegations.revoke(delegation=offer, actor=actor, now=now)
    elif operation == "adhere":
        asked = adhesion.request_adhesion(space=actor, siren=MARTIN, statut="representant_legal", service_codes=[code], now=now)
        adhesion.activate(asked.pending, {"adhesion": asked.pk}, now)
    elif operation == "substitute":
        asked = substitution.request_substitution(
            space=actor, siren=MARTIN, statut="representant_legal", service_codes=[code], now=now
        )
        substitution.activate(asked.pending, {"adhesion": asked.pk}, now)


def assert_in_step() -> None:
    live = Habilitation.objects.filter(ended_at__isnull=True).select_related("suppleance", "delegation", "service")
    titulaires = {}
    for row in live.filter(role=Role.TITULAIRE):
        assert row.service.code not in titulaires, "two live titulaires"
        titulaires[row.service.code] = row.space_id
    for row in live.filter(role=Role.SUPPLEANT):
        designation = row.suppleance
        assert designation is not None and designation.ended_at is None, row
        assert designation.state in (Suppleance.State.ACTIVE, Suppleance.State.ON_HOLD), row
        assert row.space_id == designation.suppleant_id and row.granted_by_id == designation.titulaire_id, row
        assert row.on_hold == (designation.state == Suppleance.State.ON_HOLD), row
        assert titulaires.get(row.service.code) == designation.titulaire_id, "a suppléant outlived its titulaire's service"
    for designation in Suppleance.objects.filter(ended_at__isnull=True):
        held = {code for code, space in titulaires.items() if space == designation.titulaire_id}
        rows = set(live.filter(suppleance=designation).values_list("service__code", flat=True))
        assert rows == held, (designation, rows, held)
    for row in live.filter(role=Role.DELEGATAIRE):
        offer = row.delegation
        assert offer is not None and offer.state == Delegation.State.ACCEPTED, row
        assert row.space_id == offer.delegate_id and offer.services.filter(pk=row.service_id).exists(), row
    over = (Delegation.State.REFUSED, Delegation.State.REVOKED, Delegation.State.RENOUNCED, Delegation.State.ENDED)
    for offer in Delegation.objects.filter(state__in=over):
        assert offer.ended_at is not None and not live.filter(delegation=offer).exists(), offer


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=STEPS)
def test_r_hab_2_the_rows_the_policy_reads_stay_in_step_with_their_designations_and_delegations(steps):
    with transaction.atomic():  # each example starts from nothing: its rows go with it
        world = cast()
        for operation, who, whom, code in steps:
            try:
                with transaction.atomic():  # a refused step writes nothing, as its view's transaction
                    step(world, operation, who, whom, code)
            except REFUSALS:
                pass
            assert_in_step()
        transaction.set_rollback(True)
    assert not Dossier.objects.filter(siren=MARTIN).exists() and not AdhesionRequest.objects.exists()


def test_the_invariant_check_sees_a_row_out_of_step():
    """The check itself can fail: a designation put on hold whose rows were left live."""
    world = cast()
    titulaire, suppleant = world["actors"][0], world["actors"][1]
    made = suppleants.designate(access=policy.access(titulaire, MARTIN), suppleant=suppleant, now=clock.now())
    assert_in_step()
    Suppleance.objects.filter(pk=made.pk).update(state=Suppleance.State.ON_HOLD)
    with pytest.raises(AssertionError):
        assert_in_step()
