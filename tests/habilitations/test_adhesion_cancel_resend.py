"""habilitations.services.adhesion's cancel and resend (R-ADH-3) and the refusals' messages, HTTP-free."""

from datetime import UTC, datetime, timedelta

import pytest

from catalogue.models import Service
from codes.errors import CodeVoid
from codes.models import PendingRequest
from codes.process import CodeProcess
from core import clock
from core.messages import MESSAGES
from habilitations.models import AdhesionRequest
from habilitations.services import adhesion
from habilitations.services.adhesion import AdhesionRefused
from tests.codes.letter_files import text_of
from tests import companies
from tests.factories import SpaceFactory
from tests.habilitations import steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
REFUSALS = (
    "adhesion_company_unknown",
    "adhesion_no_siege",
    "adhesion_no_service",
    "adhesion_already_held",
    "adhesion_has_titulaire",
    "adhesion_pending",
    "adhesion_not_pending",
    "adhesion_resent_already",
)


@pytest.fixture
def space(time_machine):
    time_machine.move_to(NOW, tick=False)
    return SpaceFactory()


@pytest.fixture
def asked(space, spool, django_capture_on_commit_callbacks):
    return steps.ask(django_capture_on_commit_callbacks, spool, space)


def refused(call) -> str:
    with pytest.raises(AdhesionRefused) as error:
        call()
    return error.value.code


@pytest.mark.parametrize("code", REFUSALS)
def test_every_refusal_has_a_french_message_naming_its_services(code, db):
    services = list(Service.objects.filter(code__in=["declarer_tva", "payer_tva"]))
    text = AdhesionRefused(code, services).message()
    assert text == AdhesionRefused(code, services).message() and "%(" not in text and text.endswith(".")
    if "%(services)s" in MESSAGES[code]:
        assert "Déclarer › TVA, Payer › TVA" in text
    assert AdhesionRefused(code).message()  # without services, no KeyError


def test_r_adh_1_unknown_company_and_no_siege_advise_the_sie():
    for code in ("adhesion_company_unknown", "adhesion_no_siege"):
        assert "service des impôts des entreprises (SIE)" in AdhesionRefused(code).message()
    assert "substitution" in AdhesionRefused("adhesion_has_titulaire").message()  # R-ADH-2


def test_r_adh_3_cancel_voids_the_code_and_refuses_a_second_time(space, asked):
    made, _ = asked
    cancelled = adhesion.cancel(adhesion=made, now=clock.now())
    assert cancelled.state == AdhesionRequest.State.CANCELLED and cancelled.closed_at == NOW
    pending = PendingRequest.objects.get(pk=made.pending_id)
    assert pending.expires_at == NOW and pending.payload == {}
    with pytest.raises(CodeVoid):  # J2's apply, had it found the request anyway
        adhesion.activate(pending, {"adhesion": made.pk}, NOW)
    assert refused(lambda: adhesion.cancel(adhesion=made, now=clock.now())) == "adhesion_not_pending"
    assert refused(lambda: adhesion.resend(adhesion=made, now=clock.now())) == "adhesion_not_pending"


def test_r_adh_3_a_cancelled_requests_services_may_be_asked_again(space, asked, spool, django_capture_on_commit_callbacks):
    made, _ = asked
    asking = dict(space=space, siren=companies.MARTIN, service_codes=list(steps.SERVICES), now=NOW)
    assert refused(lambda: adhesion.plan(**asking)) == "adhesion_pending"
    adhesion.cancel(adhesion=made, now=NOW)
    assert [service.code for service in adhesion.plan(**asking).services] == list(steps.SERVICES)


def test_r_adh_3_an_activated_request_is_neither_cancelled_nor_resent(space, asked):
    made, code = asked
    process = CodeProcess.resume(code=code, email=space.login_email, kinds=["adhesion"], now=NOW)
    process.activate()
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.ACTIVATED
    assert refused(lambda: adhesion.cancel(adhesion=made, now=NOW)) == "adhesion_not_pending"
    assert refused(lambda: adhesion.resend(adhesion=made, now=NOW)) == "adhesion_not_pending"


def test_r_adh_3_a_request_past_its_deadline_is_neither_cancelled_nor_resent(space, asked):
    made, _ = asked
    deadline = made.expires_at
    assert deadline == NOW + timedelta(days=60)
    for call in (adhesion.cancel, adhesion.resend):
        assert refused(lambda: call(adhesion=made, now=deadline)) == "adhesion_not_pending"
    assert adhesion.cancel(adhesion=made, now=deadline - timedelta(seconds=1)).state == AdhesionRequest.State.CANCELLED


def test_r_adh_3_resend_once_by_default_as_many_times_as_settings_say(
    space, asked, spool, settings, django_capture_on_commit_callbacks
):
    made, first = asked
    second = steps.resend(django_capture_on_commit_callbacks, spool, made)
    assert refused(lambda: adhesion.resend(adhesion=made, now=NOW)) == "adhesion_resent_already"
    settings.ADHESION_LETTER_RESENDS = 2
    third = steps.resend(django_capture_on_commit_callbacks, spool, made)
    assert len({first, second, third}) == 3
    made.refresh_from_db()
    assert made.resends == 2
    live = PendingRequest.objects.filter(kind="adhesion", expires_at__gt=NOW, used_at__isnull=True)
    assert list(live.values_list("pk", flat=True)) == [made.pending_id]  # only the last code lives


def test_r_adh_3_the_resent_letter_names_the_company_and_the_services_asked(space, asked, spool, django_capture_on_commit_callbacks):
    made, _ = asked
    before = steps.letters(spool)
    with django_capture_on_commit_callbacks(execute=True):
        adhesion.resend(adhesion=made, now=NOW)
    [letter] = steps.letters(spool) - before
    text = " ".join(text_of(letter).split())
    assert "l'entreprise SARL MARTIN DISTRIBUTION (SIREN 732829320)" in text
    for label in ("Consulter › Compte fiscal", "Déclarer › TVA"):
        assert label in text


def test_r_adh_3_a_request_whose_code_row_was_purged_can_still_be_cancelled_and_resent(
    space, spool, django_capture_on_commit_callbacks
):
    made, _ = steps.ask(django_capture_on_commit_callbacks, spool, space)
    other, _ = steps.ask(django_capture_on_commit_callbacks, spool, space, siren=companies.DUPONT)
    PendingRequest.objects.filter(pk__in=[made.pending_id, other.pending_id]).delete()  # housekeeping
    made.refresh_from_db()
    other.refresh_from_db()
    assert not PendingRequest.objects.filter(pk__in=[made.pending_id, other.pending_id]).exists()
    assert adhesion.cancel(adhesion=made, now=NOW).state == AdhesionRequest.State.CANCELLED
    code = steps.resend(django_capture_on_commit_callbacks, spool, other)
    other.refresh_from_db()
    assert other.pending is not None and other.pending.code_hash
    assert CodeProcess.resume(code=code, email=space.login_email, kinds=["adhesion"], now=NOW).pending == other.pending


def test_r_adh_2_a_service_another_letter_won_meanwhile_is_skipped_and_said(space, spool, django_capture_on_commit_callbacks):
    rival = SpaceFactory()
    mine, my_code = steps.ask(django_capture_on_commit_callbacks, spool, space, services=["payer_tva", "declarer_tva"])
    _, rival_code = steps.ask(django_capture_on_commit_callbacks, spool, rival, services=["payer_tva"])
    CodeProcess.resume(code=rival_code, email=rival.login_email, kinds=["adhesion"], now=NOW).activate()
    CodeProcess.resume(code=my_code, email=space.login_email, kinds=["adhesion"], now=NOW).activate()
    done = adhesion.last_activation(space, NOW)
    assert [service.code for service in done.granted] == ["declarer_tva"]
    assert [service.code for service in done.taken] == ["payer_tva"]
    mine.refresh_from_db()
    assert mine.state == AdhesionRequest.State.ACTIVATED
    assert adhesion.last_activation(space, NOW + timedelta(seconds=1)) is None


def test_r_adh_1_a_request_without_services_is_refused(space):
    asking = dict(space=space, siren=companies.MARTIN, service_codes=[], now=NOW)
    assert refused(lambda: adhesion.plan(**asking)) == "adhesion_no_service"
    assert refused(lambda: adhesion.plan(**{**asking, "service_codes": ["inconnu"]})) == "adhesion_no_service"
