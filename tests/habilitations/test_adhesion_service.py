"""habilitations.services.adhesion, branch by branch (R-ADH-1..3), without HTTP."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from codes.errors import CodeExpired, CodeVoid
from codes.models import PendingRequest
from codes.process import CodeProcess
from core.models import AuditEvent
from dossiers.models import Dossier
from habilitations.models import AdhesionRequest, Habilitation, Role
from habilitations.services import adhesion
from habilitations.services.adhesion import AdhesionRefused
from tests import companies
from tests.companies import DUPONT, MARTIN, SANS_SIEGE
from tests.database import all_database_text
from tests.factories import SpaceFactory
from tests.habilitations import builders
from codes.models import OutboxLetter
from tests.codes.letter_files import code_in, text_of
from tests.habilitations.letters import letters_in

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
KINDS = ["adhesion"]


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def refusal(call, **kwargs) -> AdhesionRefused:
    with pytest.raises(AdhesionRefused) as refused:
        call(**kwargs)
    return refused.value


def codes_of(services) -> list[str]:
    return [service.code for service in services]


def titulaires(space, siren=MARTIN) -> list[str]:
    return sorted(
        Habilitation.objects.filter(
            space=space, dossier__siren=siren, role=Role.TITULAIRE, ended_at__isnull=True
        ).values_list("service__code", flat=True)
    )


def use(code: str, email: str, now=NOW):
    """J2's work on a code, without HTTP: find the live request and apply it; return the space."""
    with transaction.atomic():
        return CodeProcess.resume(code=code, email=email, kinds=KINDS, now=now).activate()


# company_of (R-ADH-1)

def test_r_adh_1_company_of_a_known_company():
    name, lines = adhesion.company_of(MARTIN)
    assert (name, lines) == ("SARL MARTIN DISTRIBUTION", ["SARL MARTIN DISTRIBUTION", "12 RUE DE LA PAIX", "75002 PARIS"])
    lines.append("ajout")  # a copy: the register's record is left alone
    assert adhesion.company_of(MARTIN)[1] == ["SARL MARTIN DISTRIBUTION", "12 RUE DE LA PAIX", "75002 PARIS"]


def test_r_adh_1_company_of_unknown_nameless_or_without_siege():
    assert refusal(adhesion.company_of, siren="404483117").code == "adhesion_company_unknown"
    companies.add_company("443061841", "", ["1 RUE HAUTE", "75001 PARIS"])
    assert refusal(adhesion.company_of, siren="443061841").code == "adhesion_company_unknown"
    assert refusal(adhesion.company_of, siren=SANS_SIEGE).code == "adhesion_no_siege"


# check_services, plan (R-ADH-1, R-ADH-2)

def check(space, codes, siren=MARTIN, now=NOW):
    return adhesion.check_services(space=space, siren=siren, services=[builders.service(c) for c in codes], now=now)


def test_r_adh_1_check_services_none_ticked():
    refused = refusal(check, space=SpaceFactory(), codes=[])
    assert refused.code == "adhesion_no_service" and refused.services == []


def test_r_adh_2_check_services_already_held_names_them():
    space = SpaceFactory()
    builders.grant(space, MARTIN, "declarer_tva")
    builders.grant(SpaceFactory(), MARTIN, "payer_tva")
    refused = refusal(check, space=space, codes=["declarer_tva", "payer_tva", "declarer_is"])
    assert refused.code == "adhesion_already_held" and codes_of(refused.services) == ["declarer_tva"]


def test_r_adh_2_check_services_another_titulaire_names_them():
    space = SpaceFactory()
    builders.grant(SpaceFactory(), MARTIN, "payer_tva")
    builders.grant(SpaceFactory(), MARTIN, "payer_is")
    refused = refusal(check, space=space, codes=["declarer_tva", "payer_tva", "payer_is"])
    assert refused.code == "adhesion_has_titulaire" and codes_of(refused.services) == ["payer_tva", "payer_is"]


def test_r_adh_2_check_services_pending_request_of_the_space(spool):
    space = SpaceFactory()
    builders.request(space, MARTIN, ["declarer_tva", "payer_tva"])
    refused = refusal(check, space=space, codes=["declarer_is", "payer_tva"])
    assert refused.code == "adhesion_pending" and codes_of(refused.services) == ["payer_tva"]
    check(space, ["declarer_is"])  # another service of the dossier is fine
    check(space, ["payer_tva"], siren=DUPONT)  # the same service of another dossier too


def test_r_adh_2_check_services_what_does_not_refuse(spool):
    space = SpaceFactory()
    # Another space's pending request: both may ask, the first letter's code used wins.
    builders.request(SpaceFactory(), MARTIN, ["declarer_tva"])
    # An ended titulaire, a délégataire, a suppléant: none is a live titulaire.
    builders.grant(SpaceFactory(), MARTIN, "payer_tva", ended_at=NOW - timedelta(days=1))
    builders.grant(SpaceFactory(), MARTIN, "payer_is", Role.DELEGATAIRE)
    builders.grant(space, MARTIN, "payer_ts", Role.DELEGATAIRE)
    builders.grant(space, MARTIN, "payer_cvae", Role.SUPPLEANT)
    check(space, ["declarer_tva", "payer_tva", "payer_is", "payer_ts", "payer_cvae"])


def test_r_adh_2_check_services_expired_cancelled_or_activated_requests_do_not_refuse(spool):
    space = SpaceFactory()
    old = builders.request(space, MARTIN, ["declarer_tva"], now=NOW - timedelta(days=61))
    assert old.expires_at < NOW
    check(space, ["declarer_tva"])
    cancelled = builders.request(space, MARTIN, ["payer_tva"])
    adhesion.cancel(adhesion=cancelled, now=NOW)
    check(space, ["payer_tva"])
    # The last instant of a request's life still refuses; its end does not.
    live = builders.request(space, DUPONT, ["payer_tva"])
    assert refusal(check, space=space, codes=["payer_tva"], siren=DUPONT, now=live.expires_at - timedelta(seconds=1)).code == "adhesion_pending"
    check(space, ["payer_tva"], siren=DUPONT, now=live.expires_at)


def test_r_adh_1_plan_reads_the_register_and_the_catalogue():
    planned = adhesion.plan(space=SpaceFactory(), siren=DUPONT, service_codes=["payer_tva", "inconnu", "consulter_avis_cfe"], now=NOW)
    assert (planned.siren, planned.name) == (DUPONT, "DUPONT ET FILS")
    assert planned.siege_lines == ["DUPONT ET FILS", "ZONE ARTISANALE DES PINS", "3 AVENUE DES PINS", "33000 BORDEAUX"]
    assert codes_of(planned.services) == ["consulter_avis_cfe", "payer_tva"]  # catalogue order, unknown left out


def test_r_adh_1_plan_refusals():
    space = SpaceFactory()
    assert refusal(adhesion.plan, space=space, siren=MARTIN, service_codes=["inconnu"], now=NOW).code == "adhesion_no_service"
    # The register first: an unknown company is said before the services.
    assert refusal(adhesion.plan, space=space, siren="404483117", service_codes=[], now=NOW).code == "adhesion_company_unknown"
    assert refusal(adhesion.plan, space=space, siren=SANS_SIEGE, service_codes=["declarer_tva"], now=NOW).code == "adhesion_no_siege"


# request_adhesion (R-ADH-2, R-ADH-3)

def test_r_adh_2_request_posts_one_letter_to_the_siege(spool, django_capture_on_commit_callbacks):
    space = SpaceFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        asked = adhesion.request_adhesion(
            space=space, siren=DUPONT, statut="personne_mandatee", service_codes=["payer_tva", "declarer_tva"], now=NOW
        )
    assert OutboxLetter.objects.count() == 1  # queued in the request's own transaction (R-ADH-3)
    for callback in callbacks:
        callback()
    [letter] = letters_in(spool)
    text = text_of(letter)
    assert "DUPONT ET FILS\nZONE ARTISANALE DES PINS\n3 AVENUE DES PINS\n33000 BORDEAUX\n" in text
    assert "SIREN 552081317" in " ".join(text.split()) and "Payer › TVA" in text
    asked.refresh_from_db()
    assert asked.space == space and asked.dossier.siren == DUPONT and asked.dossier.name == "DUPONT ET FILS"
    assert asked.statut == "personne_mandatee" and asked.state == AdhesionRequest.State.PENDING
    assert sorted(asked.services.values_list("code", flat=True)) == ["declarer_tva", "payer_tva"]
    assert asked.address == ["DUPONT ET FILS", "ZONE ARTISANALE DES PINS", "3 AVENUE DES PINS", "33000 BORDEAUX"]
    assert asked.created_at == NOW and asked.expires_at == NOW + timedelta(days=60) == asked.pending.expires_at
    pending = asked.pending
    assert (pending.kind, pending.space, pending.email, pending.held_email) == ("adhesion", space, space.login_email, None)
    assert pending.payload == {"adhesion": asked.pk}
    code = code_in(letter)
    assert code not in all_database_text()  # only its digest is stored
    event = AuditEvent.objects.get(kind="habilitations.adhesion_requested")
    assert event.space == space and event.subject_type == "dossiers.dossier" and event.subject_id == str(asked.dossier.pk)
    assert event.detail == {"siren": DUPONT, "services": ["declarer_tva", "payer_tva"]}


def test_r_adh_2_request_refused_writes_nothing(spool):
    space = SpaceFactory()
    builders.grant(SpaceFactory(), MARTIN, "payer_tva")
    dossiers_before = Dossier.objects.count()
    refused = refusal(
        adhesion.request_adhesion, space=space, siren=MARTIN, statut="representant_legal", service_codes=["payer_tva"], now=NOW
    )
    assert refused.code == "adhesion_has_titulaire"
    assert not AdhesionRequest.objects.exists() and not PendingRequest.objects.exists()
    assert Dossier.objects.count() == dossiers_before and letters_in(spool) == []


def test_r_adh_2_a_second_request_refreshes_the_dossier_name(spool):
    builders.request(SpaceFactory(), MARTIN)
    companies.add_company(MARTIN, "MARTIN SAS", ["12 RUE DE LA PAIX", "75002 PARIS"])
    builders.request(SpaceFactory(), MARTIN)
    assert Dossier.objects.get(siren=MARTIN).name == "MARTIN SAS" and Dossier.objects.count() == 1


def test_r_adh_2_a_certificate_space_code_is_matched_with_its_contact_email(spool):
    space = SpaceFactory(access_mode="certificate", login_email=None, contact_email="certif@exemple.fr")
    asked, code = builders.request_with_code(space, MARTIN, spool)
    assert asked.pending.email == "certif@exemple.fr"
    assert use(code, "certif@exemple.fr") == space and titulaires(space) == ["declarer_tva"]


@pytest.mark.parametrize("where", ["audit", "letter"])
def test_r_adh_3_a_failure_after_the_letter_rolls_everything_back(spool, monkeypatch, django_capture_on_commit_callbacks, where):
    from codes import letters

    def broken(*args, **kwargs):
        raise RuntimeError("la base tombe")

    if where == "audit":  # the last write of the transaction, after the letter was queued
        monkeypatch.setattr(adhesion.audit, "record", broken)
    else:  # the request is saved again after the letter: make that fail
        real = letters.OutboxLetters.send

        def send_then_break(self, **kwargs):
            real(self, **kwargs)
            monkeypatch.setattr(AdhesionRequest, "save", broken)

        monkeypatch.setattr(letters.OutboxLetters, "send", send_then_break)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        adhesion.request_adhesion(space=SpaceFactory(), siren=MARTIN, statut="representant_legal", service_codes=["declarer_tva"], now=NOW)
    assert not AdhesionRequest.objects.exists() and not PendingRequest.objects.exists()
    assert not Dossier.objects.filter(siren=MARTIN).exists()
    assert letters_in(spool) == [] and not AuditEvent.objects.filter(kind__startswith="habilitations.").exists()


# activate (J2's apply)

def test_r_adh_2_activate_makes_the_space_titulaire(spool):
    space = SpaceFactory()
    asked, code = builders.request_with_code(space, MARTIN, spool, ["payer_tva", "declarer_tva"])
    later = NOW + timedelta(days=3)
    assert use(code, space.login_email, now=later) == space
    assert titulaires(space) == ["declarer_tva", "payer_tva"]
    row = Habilitation.objects.get(space=space, service__code="payer_tva")
    assert row.started_at == later and row.granted_by is None and row.ends_on is None and row.ended_at is None
    asked.refresh_from_db()
    assert asked.state == AdhesionRequest.State.ACTIVATED and asked.closed_at == later
    event = AuditEvent.objects.get(kind="habilitations.adhesion_activated")
    assert event.detail == {"siren": MARTIN, "services": ["declarer_tva", "payer_tva"], "taken": []}
    activation = adhesion.last_activation(space, later)
    assert activation.adhesion == asked
    assert codes_of(activation.granted) == ["declarer_tva", "payer_tva"] and activation.taken == []


def void(pending, payload):
    with pytest.raises(CodeVoid), transaction.atomic():
        adhesion.activate(pending, payload, NOW)


def test_r_adh_2_activate_void_for_a_cancelled_or_activated_request(spool):
    space = SpaceFactory()
    cancelled = builders.request(space, MARTIN)
    adhesion.cancel(adhesion=cancelled, now=NOW)
    void(cancelled.pending, {"adhesion": cancelled.pk})
    done = builders.request(space, DUPONT)
    adhesion.activate(done.pending, {"adhesion": done.pk}, NOW)
    void(done.pending, {"adhesion": done.pk})
    assert titulaires(space) == [] and titulaires(space, DUPONT) == ["declarer_tva"]


def test_r_adh_2_activate_void_for_another_space_request_or_no_request(spool):
    mine = builders.request(SpaceFactory(), MARTIN)
    theirs = builders.request(SpaceFactory(), DUPONT)
    void(mine.pending, {"adhesion": theirs.pk})  # a payload naming another space's request
    void(mine.pending, {})
    void(mine.pending, {"adhesion": 10**9})
    assert not Habilitation.objects.exists()
    theirs.refresh_from_db()
    assert theirs.state == AdhesionRequest.State.PENDING


def test_r_adh_2_activate_void_for_an_inactive_space(spool):
    space = SpaceFactory()
    asked = builders.request(space, MARTIN)
    space.is_active = False
    space.save(update_fields=["is_active"])
    void(asked.pending, {"adhesion": asked.pk})
    asked.refresh_from_db()
    assert asked.state == AdhesionRequest.State.PENDING and not Habilitation.objects.exists()


def test_r_adh_2_a_void_code_is_not_consumed(spool):
    """CodeVoid inside J2's transaction rolls the code's consumption back (codes.process.check)."""
    space = SpaceFactory()
    asked, code = builders.request_with_code(space, MARTIN, spool)
    AdhesionRequest.objects.filter(pk=asked.pk).update(state=AdhesionRequest.State.CANCELLED)
    with pytest.raises(CodeVoid):
        use(code, space.login_email)
    assert PendingRequest.objects.get(pk=asked.pending_id).used_at is None


def test_r_adh_2_a_service_taken_meanwhile_is_skipped(spool):
    first, second = SpaceFactory(), SpaceFactory()
    mine, my_code = builders.request_with_code(first, MARTIN, spool, ["declarer_tva", "payer_tva", "payer_is"])
    _theirs, their_code = builders.request_with_code(second, MARTIN, spool, ["payer_tva"])
    use(their_code, second.login_email)  # their letter came first
    assert use(my_code, first.login_email) == first
    assert titulaires(first) == ["declarer_tva", "payer_is"] and titulaires(second) == ["payer_tva"]
    activation = adhesion.last_activation(first, NOW)
    assert codes_of(activation.granted) == ["declarer_tva", "payer_is"] and codes_of(activation.taken) == ["payer_tva"]
    mine.refresh_from_db()
    assert mine.state == AdhesionRequest.State.ACTIVATED
    event = AuditEvent.objects.filter(kind="habilitations.adhesion_activated", space=first).get()
    assert event.detail["services"] == ["declarer_tva", "payer_is"] and event.detail["taken"] == ["payer_tva"]


def test_r_adh_2_all_services_taken_meanwhile(spool):
    first, second = SpaceFactory(), SpaceFactory()
    _mine, my_code = builders.request_with_code(first, MARTIN, spool, ["declarer_tva", "payer_tva"])
    builders.grant(second, MARTIN, "declarer_tva")
    builders.grant(second, MARTIN, "payer_tva")
    use(my_code, first.login_email)
    assert titulaires(first) == []
    activation = adhesion.last_activation(first, NOW)
    assert activation.granted == [] and codes_of(activation.taken) == ["declarer_tva", "payer_tva"]


def test_r_adh_2_a_service_the_space_got_meanwhile_is_not_granted_again(spool):
    """Titulaire of a service since before the activation (another way in, e.g. a substitution): not "activated now"."""
    space = SpaceFactory()
    asked = builders.request(space, MARTIN, ["declarer_tva", "payer_tva"])
    earlier = builders.grant(space, MARTIN, "payer_tva", started_at=NOW - timedelta(days=1))
    adhesion.activate(asked.pending, {"adhesion": asked.pk}, NOW)
    activation = adhesion.last_activation(space, NOW)
    assert codes_of(activation.granted) == ["declarer_tva"] and codes_of(activation.taken) == ["payer_tva"]
    assert Habilitation.objects.filter(space=space, service__code="payer_tva").get() == earlier


def test_r_adh_2_last_activation_none_without_one_at_that_moment(spool):
    space = SpaceFactory()
    asked = builders.request(space, MARTIN)
    assert adhesion.last_activation(space, NOW) is None  # pending, not activated
    adhesion.activate(asked.pending, {"adhesion": asked.pk}, NOW)
    assert adhesion.last_activation(space, NOW + timedelta(seconds=1)) is None
    assert adhesion.last_activation(SpaceFactory(), NOW) is None
    assert adhesion.last_activation(space, NOW).adhesion == asked


# cancel (R-ADH-3)

def test_r_adh_3_cancel_voids_the_code_at_once(spool):
    space = SpaceFactory()
    asked, code = builders.request_with_code(space, MARTIN, spool)
    later = NOW + timedelta(days=1)
    adhesion.cancel(adhesion=asked, now=later)
    asked.refresh_from_db()
    assert asked.state == AdhesionRequest.State.CANCELLED and asked.closed_at == later
    with pytest.raises(CodeExpired):
        use(code, space.login_email, now=later)
    assert asked.pending.payload == {} and asked.pending.expires_at == later
    event = AuditEvent.objects.get(kind="habilitations.adhesion_cancelled")
    assert event.space == space and event.detail["siren"] == MARTIN and event.subject_id == str(asked.dossier_id)


def test_r_adh_3_cancel_refused_unless_pending(spool):
    space = SpaceFactory()
    cancelled = builders.request(space, MARTIN)
    adhesion.cancel(adhesion=cancelled, now=NOW)
    assert refusal(adhesion.cancel, adhesion=cancelled, now=NOW).code == "adhesion_not_pending"
    activated = builders.request(space, DUPONT)
    adhesion.activate(activated.pending, {"adhesion": activated.pk}, NOW)
    assert refusal(adhesion.cancel, adhesion=activated, now=NOW).code == "adhesion_not_pending"
    activated.refresh_from_db()
    assert activated.state == AdhesionRequest.State.ACTIVATED
    assert AuditEvent.objects.filter(kind="habilitations.adhesion_cancelled").count() == 1


def test_r_adh_3_cancel_a_request_whose_code_row_was_purged(spool):
    asked = builders.request(SpaceFactory(), MARTIN)
    PendingRequest.objects.all().delete()  # housekeeping (codes.requests.purge) may have run
    adhesion.cancel(adhesion=asked, now=NOW)
    asked.refresh_from_db()
    assert asked.state == AdhesionRequest.State.CANCELLED
    assert not PendingRequest.objects.filter(pk=asked.pending_id).exists()


# resend (R-ADH-3 choice: once, a new code, a new 60 days)

def test_r_adh_3_resend_once_a_new_code_and_sixty_days(spool):
    space = SpaceFactory()
    asked, old_code = builders.request_with_code(space, MARTIN, spool, ["declarer_tva", "payer_tva"])
    later = NOW + timedelta(days=20)
    new_code = builders.resend_with_code(asked, spool, now=later)
    assert new_code != old_code
    asked.refresh_from_db()
    assert asked.resends == 1 and asked.expires_at == later + timedelta(days=60) == asked.pending.expires_at
    assert asked.state == AdhesionRequest.State.PENDING and asked.created_at == NOW
    assert PendingRequest.objects.filter(kind="adhesion").count() == 2  # the old row, void, awaits housekeeping
    with pytest.raises(CodeExpired):
        use(old_code, space.login_email, now=later)
    letter = letters_in(spool)
    assert len(letter) == 2
    assert AuditEvent.objects.filter(kind="habilitations.letter_resent", space=space).count() == 1
    refused = refusal(adhesion.resend, adhesion=asked, now=later)
    assert refused.code == "adhesion_resent_already" and len(letters_in(spool)) == 2
    # The new code works until the new deadline (past the first one).
    assert use(new_code, space.login_email, now=NOW + timedelta(days=70)) == space
    assert titulaires(space) == ["declarer_tva", "payer_tva"]


def test_r_adh_3_resend_refused_once_expired_cancelled_or_activated(spool):
    space = SpaceFactory()
    asked = builders.request(space, MARTIN)
    assert refusal(adhesion.resend, adhesion=asked, now=asked.expires_at).code == "adhesion_not_pending"
    adhesion.cancel(adhesion=asked, now=NOW)
    assert refusal(adhesion.resend, adhesion=asked, now=NOW).code == "adhesion_not_pending"
    done = builders.request(space, DUPONT)
    adhesion.activate(done.pending, {"adhesion": done.pk}, NOW)
    assert refusal(adhesion.resend, adhesion=done, now=NOW).code == "adhesion_not_pending"
    assert len(letters_in(spool)) == 2
    assert AdhesionRequest.objects.filter(resends__gt=0).count() == 0


def test_r_adh_3_resend_refused_when_the_register_lost_the_siege(spool):
    space = SpaceFactory()
    asked, code = builders.request_with_code(space, MARTIN, spool)
    companies.add_company(MARTIN, "SARL MARTIN DISTRIBUTION", [])
    assert refusal(adhesion.resend, adhesion=asked, now=NOW).code == "adhesion_no_siege"
    asked.refresh_from_db()
    assert asked.resends == 0 and len(letters_in(spool)) == 1
    assert use(code, space.login_email) == space  # the first letter's code still works


def test_r_adh_3_resend_goes_to_the_siege_as_the_register_knows_it_now(spool):
    asked = builders.request(SpaceFactory(), MARTIN)
    [first] = letters_in(spool)
    companies.add_company(MARTIN, "SARL MARTIN DISTRIBUTION", ["8 AVENUE FOCH", "69006 LYON"])
    builders.resend_with_code(asked, spool)
    [second] = set(letters_in(spool)) - {first}
    assert "SARL MARTIN DISTRIBUTION\n8 AVENUE FOCH\n69006 LYON\n" in text_of(second)
    asked.refresh_from_db()
    assert asked.address == ["SARL MARTIN DISTRIBUTION", "8 AVENUE FOCH", "69006 LYON"]


def test_r_adh_3_resend_a_request_whose_code_row_was_purged(spool):
    space = SpaceFactory()
    asked = builders.request(space, MARTIN)
    PendingRequest.objects.all().delete()
    asked.refresh_from_db()
    code = builders.resend_with_code(asked, spool)
    assert use(code, space.login_email) == space


def test_str_of_the_models(spool):
    space = SpaceFactory()
    asked = builders.request(space, MARTIN)
    row = builders.grant(space, MARTIN, "payer_tva")
    assert str(asked) == f"{space.pk} {asked.dossier_id} pending"
    assert str(row) == f"{space.pk} titulaire {row.dossier_id}/{row.service_id}"
    assert str(asked.dossier) == f"{MARTIN} SARL MARTIN DISTRIBUTION"
