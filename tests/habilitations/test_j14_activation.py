"""J14's request seen by nobody else, its J11 row (cancel, resend), and its activation's cases
(R-SUB-1, R-SUP-1, R-AUDIT-2): a service freed or held meanwhile, a requester made suppléant
meanwhile, what ends and what is left, each party's emails and history."""

from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from django.test import Client

from codes import registry
from codes.errors import CodeVoid
from codes.models import PendingRequest
from core import clock
from core.models import AuditEvent
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance
from habilitations.services import substitution
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.companies import MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders, steps
from tests.codes.letter_files import text_of
from tests.habilitations.letters import last_letter

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
EMAIL = "lila.rosemonde@exemple.fr"
LIST = "/espace/services/habilitations"
DONE = "/activation/recapitulatif"


@pytest.fixture
def requester(time_machine):
    time_machine.move_to(NOW, tick=False)
    return SpaceFactory(login_email=EMAIL, civility="MME", last_name="ROSEMONDE", first_name="Lila")


@pytest.fixture
def former(requester):
    space = SpaceFactory(civility="M", last_name="DURAND", first_name="Paul", login_email="paul.durand@exemple.fr")
    for code in ("declarer_tva", "payer_tva"):
        builders.grant(space, MARTIN, code)
    return space


@pytest.fixture
def asked(requester, former, spool):
    return builders.substitution_with_code(requester, MARTIN, spool, ["declarer_tva", "payer_tva"])


def titulaire_of(code):
    return list(
        Habilitation.objects.filter(
            dossier__siren=MARTIN, service__code=code, role=Role.TITULAIRE, ended_at__isnull=True
        ).values_list("space_id", flat=True)
    )


def mails_to(space) -> list[str]:
    return [decrypt_body(mail) for mail in OutboxEmail.objects.filter(to=space.contact_email).order_by("id")]


def done_page(code) -> str:
    browser = Client()
    assert journey.activate(browser, code, EMAIL).url == DONE
    return unescape(browser.get(DONE).content.decode())


def logged(space) -> Client:
    client = Client()
    steps.enter(client, space)
    return client


def test_r_sub_1_the_kind_is_a_letter_of_sixty_days_applied_by_j2():
    kind = registry.get("substitution")
    assert (kind.channel, kind.holds_email, kind.activatable, kind.ttl.days) == ("post", False, True, 60)
    assert kind.message == "habilitations/letters/substitution.html"


def test_r_sub_1_a_pending_substitution_is_seen_by_nobody_but_its_requester(requester, former, asked, spool):
    """The current titulaire is told nothing before activation: no email, no history row, no page."""
    assert mails_to(former) == []
    assert not AuditEvent.objects.filter(space=former).exists()
    titulaire = logged(former)
    for url in (LIST, "/espace/historique", "/espace", f"/espace/dossiers/{MARTIN}/services/declarer_tva"):
        answer = titulaire.get(url)
        page = unescape(answer.content.decode())
        assert answer.status_code == 200 and "DURAND" in page  # the titulaire's own pages
        assert "ROSEMONDE" not in page and requester.subscriber_number not in page
        assert "Demande de substitution" not in page and "Substitution</p>" not in page
    mine = unescape(logged(requester).get(LIST).content.decode())
    assert "Substitution</p>" in mine and "Demande de substitution du titulaire du 3 décembre 2026" in mine
    assert "Déclarer › TVA" in mine and "Renvoyer le courrier" in mine
    kinds = list(AuditEvent.objects.filter(space=requester).values_list("kind", flat=True))
    assert kinds == ["habilitations.substitution_requested"]


def test_r_adh_3_a_substitution_is_cancelled_from_j11_and_its_code_dies(requester, former, asked):
    made, code = asked
    client = logged(requester)
    confirm = client.post(f"/espace/services/demandes/{made.pk}/annuler")
    assert "<h1>Annuler la demande de substitution</h1>" in confirm.content.decode()
    done = client.post(f"/espace/services/demandes/{made.pk}/annuler", {"confirm": "oui"}, follow=True)
    page = unescape(done.content.decode())
    assert "Votre demande de substitution pour SARL MARTIN DISTRIBUTION (SIREN 732 829 320) est annulée" in page
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.CANCELLED
    event = AuditEvent.objects.get(kind="habilitations.substitution_cancelled")
    assert event.space == requester and event.detail["services"] == ["declarer_tva", "payer_tva"]
    assert not AuditEvent.objects.filter(kind="habilitations.adhesion_cancelled").exists()
    assert journey.activate(Client(), code, EMAIL).status_code == 400
    assert titulaire_of("declarer_tva") == [former.pk]


def test_r_adh_3_a_substitution_letter_is_resent_once_as_a_substitution(requester, former, asked, spool, django_capture_on_commit_callbacks):
    made, old_code = asked
    client = logged(requester)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/espace/services/demandes/{made.pk}/renvoyer").status_code == 302
    new_code = steps.code_in(last_letter(spool))
    assert new_code != old_code
    assert "substitution du titulaire" in text_of(last_letter(spool))
    assert PendingRequest.objects.get(pk=AdhesionRequest.objects.get().pending_id).kind == "substitution"
    assert journey.activate(Client(), old_code, EMAIL).status_code == 400
    assert "Vous êtes désormais titulaire de ces services" in done_page(new_code)
    assert titulaire_of("declarer_tva") == [requester.pk]


def test_r_sub_1_a_service_freed_meanwhile_is_granted_one_held_already_is_left(requester, former, asked):
    _made, code = asked
    Habilitation.objects.filter(space=former, service__code="declarer_tva").update(ended_at=clock.now())
    Habilitation.objects.filter(space=former, service__code="payer_tva").update(ended_at=clock.now())
    builders.grant(requester, MARTIN, "payer_tva", started_at=NOW - timedelta(hours=1))
    page = done_page(code)
    assert "Vous êtes désormais titulaire de ces services" in page and "Vous étiez déjà titulaire de ces services" in page
    assert titulaire_of("declarer_tva") == [requester.pk] and titulaire_of("payer_tva") == [requester.pk]
    assert mails_to(former) == []  # nothing of the former's ended by this activation
    event = AuditEvent.objects.get(kind="habilitations.substitution_activated")
    assert event.detail["services"] == ["declarer_tva"] and event.detail["held"] == ["payer_tva"]
    assert event.detail["party"] == ""


def test_r_sup_1_a_requester_made_suppleant_meanwhile_does_not_substitute(requester, former, asked):
    _made, code = asked
    builders.suppleance_with_rows(former, requester, MARTIN)
    page = done_page(code)
    assert "Aucun service n'a été substitué" in page and "un administrateur suppléant ne peut pas remplacer" in page
    assert titulaire_of("declarer_tva") == [former.pk] and titulaire_of("payer_tva") == [former.pk]
    assert mails_to(former) == [] and not AuditEvent.objects.filter(space=former).exists()
    assert AuditEvent.objects.get(kind="habilitations.substitution_activated").detail["kept"] == ["declarer_tva", "payer_tva"]
    assert AdhesionRequest.objects.get().state == AdhesionRequest.State.ACTIVATED


def test_r_sub_1_a_suppleance_left_without_rows_ends_on_hold_too(requester, former, asked):
    _made, code = asked
    active = builders.suppleance_with_rows(former, SpaceFactory(last_name="ACTIF"), MARTIN)
    on_hold = builders.suppleance_with_rows(former, SpaceFactory(last_name="VEILLE"), MARTIN, state=Suppleance.State.ON_HOLD)
    done_page(code)
    for designation in (active, on_hold):
        designation.refresh_from_db()
        assert designation.state == Suppleance.State.ENDED and designation.ended_at == NOW
        assert not designation.habilitations.filter(ended_at__isnull=True).exists()
        [body] = mails_to(designation.suppleant)
        assert "votre rôle d'administrateur suppléant a pris fin" in body


def test_r_sub_1_delegations_over_by_the_clock_are_left_and_the_requesters_own_ends_quietly(requester, former, asked):
    _made, code = asked
    past = builders.delegation(former, SpaceFactory(last_name="ECHU"), MARTIN, ["declarer_tva"], ends_on=date(2026, 12, 2))
    void = builders.delegation(
        former, SpaceFactory(last_name="MUET"), MARTIN, ["declarer_tva"], state=Delegation.State.OFFERED,
        created_at=NOW - timedelta(days=31),
    )
    refused = builders.delegation(former, SpaceFactory(last_name="NON"), MARTIN, ["declarer_tva"], state=Delegation.State.REFUSED)
    mine = builders.delegation(former, requester, MARTIN, ["declarer_tva", "payer_tva"])
    later = builders.delegation(former, SpaceFactory(last_name="TARD"), MARTIN, ["payer_tva"], ends_on=date(2027, 1, 31))
    done_page(code)
    for made, state in ((past, "accepted"), (void, "offered"), (refused, "refused"), (mine, "ended"), (later, "ended")):
        made.refresh_from_db()
        assert made.state == state
    assert past.habilitations.get().ended_at is None  # its history keeps "arrivée à échéance"
    for made in (past, void, refused):
        assert mails_to(made.delegate) == []
    assert not any("délégation" in body for body in mails_to(requester))
    [body] = mails_to(later.delegate)
    assert "vous avait accordée a pris fin" in body and "Monsieur DURAND Paul" in body
    assert Habilitation.objects.get(space=requester, role=Role.DELEGATAIRE, service__code="payer_tva").ended_at == NOW


def test_r_sub_1_services_of_two_titulaires_end_both_each_told_of_its_own(requester, spool):
    first = SpaceFactory(last_name="PREMIER")
    second = SpaceFactory(last_name="SECOND")
    builders.grant(first, MARTIN, "declarer_tva")
    builders.grant(second, MARTIN, "messagerie")
    _made, code = builders.substitution_with_code(requester, MARTIN, spool, ["declarer_tva", "messagerie"])
    done_page(code)
    assert titulaire_of("declarer_tva") == titulaire_of("messagerie") == [requester.pk]
    [body] = mails_to(first)
    assert "- Déclarer › TVA" in body and "- Messagerie" not in body
    [body] = mails_to(second)
    assert "- Messagerie" in body and "- Déclarer › TVA" not in body
    event = AuditEvent.objects.get(kind="habilitations.substitution_activated")
    assert "PREMIER" in event.detail["party"] and "SECOND" in event.detail["party"]
    assert AuditEvent.objects.get(space=first, kind="habilitations.titulaire_substituted").detail["services"] == ["declarer_tva"]


def test_r_sub_1_a_cancelled_request_or_a_closed_space_voids_the_code(requester, former, asked):
    made, _code = asked
    pending = PendingRequest.objects.get(pk=made.pending_id)
    with pytest.raises(CodeVoid):  # an adhesion's apply does not take a substitution's request
        from habilitations.services import adhesion

        adhesion.activate(pending, {"adhesion": made.pk}, NOW)
    requester.is_active = False
    requester.save()
    with pytest.raises(CodeVoid):
        substitution.activate(pending, {"adhesion": made.pk}, NOW)
    with pytest.raises(CodeVoid):
        substitution.activate(pending, {}, NOW)
    assert titulaire_of("declarer_tva") == [former.pk]


def test_r_sub_1_no_confirmation_without_an_activation():
    assert substitution.last_substitution(SpaceFactory(), NOW) is None


def test_r_sub_1_the_letter_names_the_substitution_and_not_the_titulaire(requester, former, asked, spool):
    letter = " ".join(text_of(last_letter(spool)).split())
    assert "Objet : substitution du titulaire" in letter and "à la place de leur titulaire actuel" in letter
    assert "DURAND" not in letter and "ROSEMONDE" not in letter
    assert "le titulaire actuel de ces services le reste" in letter


def test_r_hab_2_another_space_cannot_cancel_or_resend_a_substitution(requester, former, asked, spool):
    made, code = asked
    before = len(steps.letters(spool))
    intruder = logged(former)  # the titulaire itself, who must not even learn the id exists
    for url, data in (("annuler", {}), ("annuler", {"confirm": "oui"}), ("renvoyer", {})):
        assert intruder.post(f"/espace/services/demandes/{made.pk}/{url}", data).status_code == 404
    made.refresh_from_db()
    assert made.state == AdhesionRequest.State.PENDING and made.resends == 0
    assert len(steps.letters(spool)) == before
    assert "Vous êtes désormais titulaire de ces services" in done_page(code)


def test_r_sub_1_nothing_asked_is_refused_by_the_service(requester, former):
    from habilitations.services.adhesion import AdhesionRefused

    with pytest.raises(AdhesionRefused) as refused:
        substitution.plan(space=requester, siren=MARTIN, service_codes=[], now=NOW)
    assert refused.value.code == "adhesion_no_service"


def test_r_sub_1_a_titulaire_made_by_another_activation_meanwhile_is_substituted_in_turn(requester, former, asked, monkeypatch):
    """What PostgreSQL's race gives (tests/habilitations/test_j14_races.py), played in one thread:
    the row looked for is gone, the insert meets another activation's new titulaire, the next
    look finds that one and substitutes it."""
    from habilitations.services import adhesion

    _made, code = asked
    Habilitation.objects.filter(space=former).update(ended_at=NOW)  # the first activation ended it...
    rival = SpaceFactory(last_name="RIVAL")
    real = adhesion.become_titulaire

    def another_came_first(made, service, now):
        if not Habilitation.objects.filter(service=service, role=Role.TITULAIRE, ended_at__isnull=True).exists():
            builders.grant(rival, MARTIN, service.code)  # ...and made its own titulaire
            return False
        return real(made, service, now)

    monkeypatch.setattr(adhesion, "become_titulaire", another_came_first)
    assert "Vous êtes désormais titulaire de ces services" in done_page(code)
    assert titulaire_of("declarer_tva") == titulaire_of("payer_tva") == [requester.pk]
    assert len(mails_to(rival)) == 1 and mails_to(former) == []


def test_r_sub_1_a_service_still_contended_after_three_looks_is_left(requester, former, asked, monkeypatch):
    from habilitations.services import adhesion

    _made, code = asked
    Habilitation.objects.filter(space=former).update(ended_at=NOW)
    monkeypatch.setattr(adhesion, "become_titulaire", lambda made, service, now: False)
    assert "Aucun service n'a été substitué" in done_page(code)
    assert titulaire_of("declarer_tva") == [] and AuditEvent.objects.get(
        kind="habilitations.substitution_activated"
    ).detail["kept"] == ["declarer_tva", "payer_tva"]


def test_r_sub_1_suppleants_and_delegations_without_rows_on_those_services_are_left(requester, former, asked):
    _made, code = asked
    builders.grant(former, MARTIN, "declarer_is")
    elsewhere = builders.suppleance_with_rows(former, SpaceFactory(last_name="AILLEURS"), MARTIN, codes=["declarer_is"])
    partly = builders.delegation(former, SpaceFactory(last_name="PARTIEL"), MARTIN, ["declarer_tva", "declarer_is"])
    partly.habilitations.filter(service__code="declarer_tva").update(ended_at=NOW)  # that part ended before
    done_page(code)
    elsewhere.refresh_from_db()
    partly.refresh_from_db()
    assert elsewhere.state == Suppleance.State.ACTIVE and partly.state == Delegation.State.ACCEPTED
    assert mails_to(elsewhere.suppleant) == [] and mails_to(partly.delegate) == []
    assert partly.habilitations.get(service__code="declarer_is").ended_at is None


def test_r_sub_1_a_closed_former_titulaire_is_substituted_without_an_email(requester, former, asked):
    _made, code = asked
    former.is_active = False
    former.save()
    done_page(code)
    assert titulaire_of("declarer_tva") == [requester.pk]
    assert mails_to(former) == []
    assert AuditEvent.objects.filter(space=former, kind="habilitations.titulaire_substituted").exists()
