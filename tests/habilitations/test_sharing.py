"""Unit proofs of what designations share (habilitations.services.sharing) and of the J12 policy
predicates (R-SUP-1, R-HAB-2), and of the designation service's refusals (suppleants)."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.db import IntegrityError
from django.test import RequestFactory

from core.models import AuditEvent
from habilitations import policy
from habilitations.models import Role, Suppleance
from habilitations.services import sharing, suppleants
from habilitations.services.sharing import DesignationRefused
from habilitations.services.suppleants import SuppleanceRefused
from tests.companies import DUPONT, MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations import holdings as steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


def web(address="203.0.113.9"):
    return RequestFactory().post("/", REMOTE_ADDR=address)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Lefèvre-Dupont", "LEFEVRE DUPONT"),
        ("  d'Arc  ", "D ARC"),
        ("ÉLODIE", "elodie"),
        ("Müller", "MULLER"),
        ("de   la  Tour", "De-La-Tour"),
    ],
)
def test_comparable_ignores_accents_case_hyphens_apostrophes_spaces(typed, stored):
    assert sharing.comparable(typed) == sharing.comparable(stored)


def test_comparable_of_nothing_and_of_different_names():
    assert sharing.comparable(None) == sharing.comparable("") == ""
    assert sharing.comparable("Martin") != sharing.comparable("Martine")


def test_find_space_by_number_and_last_name():
    actor, found = SpaceFactory(), SpaceFactory(last_name="Lefèvre")
    spaced = f"{found.subscriber_number[:7]} {found.subscriber_number[7:]}"
    assert sharing.find_space(web(), actor=actor, number=spaced, last_name="LEFEVRE") == found


@pytest.mark.parametrize("case", ["wrong_name", "unknown", "short", "letters", "closed", "self", "empty"])
def test_find_space_one_refusal_for_every_mismatch_audited_for_the_actor(case):
    actor, other = SpaceFactory(), SpaceFactory(last_name="DURAND")
    number, name = other.subscriber_number, "DURAND"
    if case == "wrong_name":
        name = "DUPONT"
    elif case == "unknown":
        number = "20269990000000"
    elif case == "short":
        number = number[:13]
    elif case == "letters":
        number = number[:13] + "x"
    elif case == "closed":
        other.is_active = False
        other.save(update_fields=["is_active"])
    elif case == "self":
        number, name = actor.subscriber_number, actor.last_name
    else:
        number, name = "", ""
    with pytest.raises(DesignationRefused) as refused:
        sharing.find_space(web(), actor=actor, number=number, last_name=name)
    assert refused.value.code == "designation_unknown"
    [event] = AuditEvent.objects.filter(kind="habilitations.designation_refused")
    assert event.space == actor and event.ip == "203.0.113.9"


def test_find_space_caps_per_space_then_per_address(settings):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES,
        "designations_per_space": {"limit": 2, "window": settings.THROTTLE_POLICIES["designations_per_space"]["window"]},
        "designations_per_address": {"limit": 4, "window": settings.THROTTLE_POLICIES["designations_per_address"]["window"]},
    }
    actor, other, found = SpaceFactory(), SpaceFactory(), SpaceFactory(last_name="DURAND")
    for _ in range(2):
        assert sharing.find_space(web(), actor=actor, number=found.subscriber_number, last_name="DURAND") == found
    with pytest.raises(DesignationRefused, match="designation_throttled"):  # a match counts too
        sharing.find_space(web(), actor=actor, number=found.subscriber_number, last_name="DURAND")
    assert sharing.find_space(web(), actor=other, number=found.subscriber_number, last_name="DURAND") == found
    with pytest.raises(DesignationRefused, match="designation_throttled"):  # the address's 5th check (the refused one counted too)
        sharing.find_space(web(), actor=other, number=found.subscriber_number, last_name="DURAND")
    # Another space from another address is not held back by either count.
    assert sharing.find_space(web("203.0.113.10"), actor=SpaceFactory(), number=found.subscriber_number, last_name="DURAND") == found
    assert not AuditEvent.objects.filter(kind="habilitations.designation_refused").exists()


def test_person_and_party_never_an_email_address():
    space = SpaceFactory(civility="M", last_name="DUPONT", first_name="Jean")
    assert sharing.person(space) == "Monsieur DUPONT Jean"
    assert sharing.party(space) == f"Monsieur DUPONT Jean (n° d'abonné {space.subscriber_number})"
    assert space.contact_email not in sharing.party(space)
    assert sharing.person(None) == sharing.party(None) == "un espace supprimé"


def test_record_shared_one_row_per_space_each_naming_the_other():
    actor, other = SpaceFactory(last_name="ACTEUR"), SpaceFactory(last_name="AUTRE")
    dossier = steps.martin()
    services = [builders.service("declarer_tva")]
    sharing.record_shared(web(), "habilitations.suppleant_designated", actor=actor, spaces=[actor, other, actor, None],
                          subject=dossier, services=services, siren=MARTIN)
    rows = {event.space_id: event for event in AuditEvent.objects.all()}
    assert set(rows) == {actor.pk, other.pk}
    assert "AUTRE" in rows[actor.pk].detail["party"] and "ACTEUR" in rows[other.pk].detail["party"]
    for event in rows.values():
        assert (event.subject_type, str(event.subject_id)) == ("dossiers.dossier", str(dossier.pk)) or event.subject_id
        assert event.detail["services"] == ["declarer_tva"] and event.detail["actor"] == actor.subscriber_number
        assert event.detail["siren"] == MARTIN


def test_record_shared_by_the_administration_and_for_the_actor_alone():
    space = SpaceFactory()
    sharing.record_shared(None, "habilitations.suppleant_ended", actor=None, spaces=[space], subject=steps.martin())
    sharing.record_shared(None, "habilitations.suppleant_ended", actor=space, spaces=[space], subject=steps.martin())
    first, second = AuditEvent.objects.order_by("id")
    assert (first.detail["party"], first.detail["actor"]) == ("l'administration", "")
    assert second.detail["party"] == ""


# The policy's J12 predicates


def test_r_sup_1_may_designate_suppleants_is_the_titulaire_s_only():
    titulaire, suppleant, delegate = SpaceFactory(), SpaceFactory(), SpaceFactory()
    steps.hold(titulaire, steps.martin(), ["declarer_tva"])
    steps.hold(delegate, steps.martin(), ["declarer_tva"], role=Role.DELEGATAIRE, granted_by=titulaire)
    builders.suppleance(titulaire, MARTIN, suppleant)
    assert policy.may_designate_suppleants(policy.access(titulaire, MARTIN))
    assert not policy.may_designate_suppleants(policy.access(suppleant, MARTIN))
    assert not policy.may_designate_suppleants(policy.access(delegate, MARTIN))
    assert not policy.may_designate_suppleants(None)
    assert list(policy.designating_dossiers(titulaire)) == [steps.martin()]
    assert not policy.designating_dossiers(suppleant).exists() and not policy.designating_dossiers(delegate).exists()


def test_r_sup_1_suppleance_only_the_live_designation_of_that_titulaire_on_that_dossier():
    titulaire, cotitulaire, suppleant = SpaceFactory(), SpaceFactory(), SpaceFactory()
    steps.hold(titulaire, steps.martin(), ["declarer_tva"])
    steps.hold(titulaire, steps.dupont(), ["declarer_tva"])
    steps.hold(cotitulaire, steps.martin(), ["declarer_is"])
    made = builders.suppleance(titulaire, MARTIN, suppleant)
    mine = policy.access(titulaire, MARTIN)
    assert policy.suppleance(mine, made.pk) == made
    assert policy.suppleance(mine, str(made.pk)) == made
    assert policy.suppleance(policy.access(titulaire, DUPONT), made.pk) is None  # another dossier
    assert policy.suppleance(policy.access(cotitulaire, MARTIN), made.pk) is None  # another titulaire
    assert policy.suppleance(policy.access(suppleant, MARTIN), made.pk) is None  # the suppléant itself
    assert policy.suppleance(None, made.pk) is None
    for garbage in ("x", None, "1.5", "\x00"):
        assert policy.suppleance(mine, garbage) is None
    suppleants.remove(suppleance=made, now=NOW)
    assert policy.suppleance(mine, made.pk) is None  # removed: nobody's


# The designation service's own refusals (the views reach them through find_space first)


@pytest.fixture
def titled():
    titulaire = SpaceFactory()
    steps.hold(titulaire, steps.martin(), ["declarer_tva"])
    return titulaire, policy.access(titulaire, MARTIN)


def test_r_sup_1_designate_refuses_oneself_a_closed_space_and_a_non_titulaire(titled):
    titulaire, allowed = titled
    with pytest.raises(SuppleanceRefused, match="suppleant_self"):
        suppleants.designate(access=allowed, suppleant=titulaire, now=NOW)
    closed = SpaceFactory(is_active=False)
    with pytest.raises(SuppleanceRefused, match="designation_unknown"):
        suppleants.designate(access=allowed, suppleant=closed, now=NOW)
    nothing = policy.Access(space=titulaire, dossier=allowed.dossier, roles={"declarer_tva": Role.DELEGATAIRE},
                            habilitations=allowed.habilitations)
    with pytest.raises(SuppleanceRefused, match="suppleant_not_titulaire"):
        suppleants.designate(access=nothing, suppleant=SpaceFactory(), now=NOW)
    assert not Suppleance.objects.exists() and not AuditEvent.objects.exists()


def test_r_sup_1_designate_twice_at_once_one_wins(titled):
    """The check before the insert can be passed by two requests at once: the database's
    one_live_suppleance decides, the loser gets the same refusal, nothing half-written."""
    titulaire, allowed = titled
    other = SpaceFactory()
    with mock.patch.object(suppleants, "_live") as live:
        live.return_value.exists.return_value = False
        suppleants.designate(access=allowed, suppleant=other, now=NOW)
        with pytest.raises(SuppleanceRefused, match="suppleant_already"):
            suppleants.designate(access=allowed, suppleant=other, now=NOW)
    assert Suppleance.objects.count() == 1 and other.habilitations.count() == 1
    assert AuditEvent.objects.filter(kind="habilitations.suppleant_designated").count() == 2  # one per space, once


def test_r_sup_1_refused_message_is_the_catalogue_s():
    assert SuppleanceRefused("suppleant_self").message() == "Vous ne pouvez pas vous désigner vous-même comme administrateur suppléant."
    assert isinstance(IntegrityError(), Exception)
