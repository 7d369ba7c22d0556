"""J14 "Remplacer le titulaire (substitution)" (R-SUB-1) through the test client: the request as
J9's (SIREN + statut, then only the services with another titulaire) → recap → letter → J2 with
the login email → the requester titulaire, the former titulaire, its suppléants on those
services and the delegations on them ended, each holder emailed; everything else untouched."""

from datetime import UTC, datetime
from html import unescape

import pytest
from django.test import Client

from core import clock
from core.models import AuditEvent
from habilitations.models import AdhesionRequest, Delegation, Habilitation, Role, Suppleance
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.companies import DUPONT, MARTIN, SANS_SIEGE
from tests.factories import SpaceFactory
from tests.habilitations import builders, steps
from tests.habilitations.letters import last_code, last_text, letters_in

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
EMAIL = "lila.rosemonde@exemple.fr"
FORM = "/espace/services/substitution"
RECAP = "/espace/services/substitution/recapitulatif"
SENT = "/espace/services/substitution/courrier"
DONE = "/activation/recapitulatif"


@pytest.fixture
def requester(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    space = SpaceFactory(login_email=EMAIL, civility="MME", last_name="ROSEMONDE", first_name="Lila")
    assert journey.login(client, EMAIL).status_code == 302
    return space


@pytest.fixture
def former(requester):
    """The current titulaire of three services of MARTIN."""
    space = SpaceFactory(civility="M", last_name="DURAND", first_name="Paul", login_email="paul.durand@exemple.fr")
    for code in ("declarer_tva", "payer_tva", "declarer_is"):
        builders.grant(space, MARTIN, code)
    return space


def text(response) -> str:
    return unescape(response.content.decode())


def pick(client, siren=MARTIN, statut="representant_legal"):
    """The form's first part: the SIREN and statut, answered by the company's services."""
    return client.post(FORM, {"siren": siren, "statut": statut})


def ask(client, services=("declarer_tva", "payer_tva"), siren=MARTIN, statut="representant_legal"):
    return client.post(FORM, {"siren": siren, "statut": statut, "services": list(services), "shown": siren})


def titulaire_of(siren, code):
    return list(
        Habilitation.objects.filter(
            dossier__siren=siren, service__code=code, role=Role.TITULAIRE, ended_at__isnull=True
        ).values_list("space_id", flat=True)
    )


def live_codes(space, role) -> set[str]:
    return set(
        Habilitation.objects.filter(space=space, role=role, ended_at__isnull=True).values_list("service__code", flat=True)
    )


def mails_to(space) -> list[tuple[str, str]]:
    return [(mail.subject, decrypt_body(mail)) for mail in OutboxEmail.objects.filter(to=space.contact_email).order_by("id")]


def kinds_of(space) -> list[str]:
    return list(AuditEvent.objects.filter(space=space).order_by("id").values_list("kind", flat=True))


def test_r_sub_1_the_manage_page_links_to_substitution(client, requester):
    page = client.get("/espace/gerer").content.decode()
    assert f'href="{FORM}">Remplacer le titulaire (substitution)</a>' in page


def test_r_sub_1_the_form_asks_the_siren_first_then_offers_only_services_with_another_titulaire(client, requester, former):
    builders.grant(requester, MARTIN, "consulter_compte_fiscal")  # mine: not offered
    first = client.get(FORM)
    assert first.status_code == 200
    page = text(first)
    assert "<h1>Remplacer le titulaire (substitution)</h1>" in page and "Afficher les services" in page
    assert 'name="services"' not in page

    listed = pick(client)
    assert listed.status_code == 200
    page = text(listed)
    offered = {value for value in ("declarer_tva", "payer_tva", "declarer_is", "consulter_compte_fiscal", "messagerie")
               if f'value="{value}"' in page}
    assert offered == {"declarer_tva", "payer_tva", "declarer_is"}
    assert f'name="shown" value="{MARTIN}"' in page and "Continuer" in page
    assert "DURAND" not in page  # the titulaire is not named to whoever types a SIREN


def test_r_sub_1_a_company_without_a_titulaire_to_replace_is_said_by_the_siren(client, requester):
    builders.grant(requester, DUPONT, "declarer_tva")
    for siren in (MARTIN, DUPONT):  # nobody's services; only mine
        refused = pick(client, siren=siren)
        assert refused.status_code == 400
        page = text(refused)
        assert "Aucun service de cette entreprise n'a de titulaire que vous pourriez remplacer" in page
        assert 'href="/espace/services/adherer">Adhérer aux services sans titulaire</a>' in page
    assert "n'est pas connue du répertoire SIRENE" in text(pick(client, siren="404483117"))
    assert "L'adresse du siège" in text(pick(client, siren=SANS_SIEGE))
    assert "SIREN" in text(pick(client, siren="123456788"))
    assert pick(client, statut="roi").status_code == 400
    assert not AdhesionRequest.objects.exists()


def test_r_sub_1_journey_request_letter_activation_ends_what_the_former_titulaire_shared(
    client, requester, former, spool, django_capture_on_commit_callbacks
):
    suppleant = SpaceFactory(civility="M", last_name="SUPPLE", first_name="Sam")
    designation = builders.suppleance_with_rows(former, suppleant, MARTIN)  # rows on TVA, Payer TVA, IS
    cabinet = SpaceFactory(civility="MME", last_name="CABINET", first_name="Clara")
    on_tva = builders.delegation(former, cabinet, MARTIN, ["declarer_tva"])
    by_suppleant = builders.delegation(suppleant, cabinet, MARTIN, ["payer_tva", "declarer_is"])
    other = SpaceFactory(civility="M", last_name="AUTRE", first_name="Axel")
    on_is = builders.delegation(former, other, MARTIN, ["declarer_is"])  # another service: untouched
    invited = SpaceFactory(civility="M", last_name="INVITE", first_name="Ivan")
    offer = builders.delegation(former, invited, MARTIN, ["declarer_tva", "declarer_is"], state=Delegation.State.OFFERED)
    elsewhere = builders.grant(former, DUPONT, "declarer_tva")  # another dossier of the former

    assert ask(client).url == RECAP
    recap = text(client.get(RECAP))
    assert "<h1>Remplacer le titulaire (substitution)</h1>" in recap and "SARL MARTIN DISTRIBUTION" in recap
    assert "L'habilitation de leur titulaire actuel prendra fin" in recap and "60 jours" in recap
    assert letters_in(spool) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RECAP).url == SENT
    sent = text(client.get(SENT))
    assert "Votre demande de substitution est enregistrée" in sent and "12 R** D* L* P***" in sent
    letter = last_text(spool)
    assert "substitution du titulaire" in letter and "Déclarer › TVA" in letter and "Payer › TVA" in letter
    code = last_code(spool)
    assert code not in sent and code not in recap
    asked = AdhesionRequest.objects.get(space=requester)
    assert asked.purpose == "substitution" and asked.state == "pending"
    assert (asked.expires_at - asked.created_at).days == 60
    assert titulaire_of(MARTIN, "declarer_tva") == [former.pk]  # nothing before the code

    other_browser = Client()
    assert journey.activate(other_browser, code, EMAIL).url == DONE
    done = text(other_browser.get(DONE))
    assert "Vous êtes désormais titulaire de ces services" in done
    assert "Déclarer › TVA" in done and "Payer › TVA" in done

    # The requester holds the services asked; the former keeps the rest
    assert titulaire_of(MARTIN, "declarer_tva") == titulaire_of(MARTIN, "payer_tva") == [requester.pk]
    assert titulaire_of(MARTIN, "declarer_is") == [former.pk]
    ended = Habilitation.objects.filter(space=former, service__code__in=["declarer_tva", "payer_tva"], dossier__siren=MARTIN)
    assert {row.ended_at for row in ended} == {clock.now()}
    elsewhere.refresh_from_db()
    assert elsewhere.ended_at is None
    # its suppléant loses those services only, and stays suppléant for the rest
    assert live_codes(suppleant, Role.SUPPLEANT) == {"declarer_is"}
    designation.refresh_from_db()
    assert designation.state == Suppleance.State.ACTIVE and designation.ended_at is None
    # every delegation on those services ends, whoever granted it; the others stay
    for made, state in ((on_tva, "ended"), (by_suppleant, "accepted"), (on_is, "accepted"), (offer, "ended")):
        made.refresh_from_db()
        assert made.state == state
    assert live_codes(cabinet, Role.DELEGATAIRE) == {"declarer_is"}
    assert live_codes(other, Role.DELEGATAIRE) == {"declarer_is"}
    asked.refresh_from_db()
    assert asked.state == "activated"

    # Each holder emailed, named by name, never by email address
    [(subject, body)] = mails_to(former)
    assert subject == "Espace professionnel - Vous n'êtes plus titulaire de services d'une entreprise"
    assert "Madame ROSEMONDE Lila est désormais titulaire" in body and "Déclarer › TVA" in body
    assert "Déclarer › IS" not in body and EMAIL not in body
    [(subject, body)] = mails_to(suppleant)
    assert subject == "Espace professionnel - Votre rôle d'administrateur suppléant a pris fin"
    assert "Monsieur DURAND Paul" in body and "Madame ROSEMONDE Lila" in body and "Payer › TVA" in body
    assert "votre rôle d'administrateur suppléant a pris fin" not in body  # still suppléant for IS
    subjects = [subject for subject, _body in mails_to(cabinet)]
    assert subjects == ["Espace professionnel - Une délégation de services a pris fin"] * 2  # its two delegations lost a service each
    [(_subject, body)] = mails_to(invited)
    assert "vous avait proposée a pris fin" in body and "Monsieur DURAND Paul" in body
    assert mails_to(other) == []
    assert all(EMAIL not in body for space in (former, suppleant, cabinet, invited) for _s, body in mails_to(space))

    # Each in its own history, naming the requester
    assert "habilitations.titulaire_substituted" in kinds_of(former)
    assert "habilitations.suppleant_ended" in kinds_of(former) and "habilitations.suppleant_ended" in kinds_of(suppleant)
    assert kinds_of(cabinet).count("habilitations.delegation_ended") == 2
    assert "habilitations.delegation_ended" in kinds_of(suppleant)  # the grantor of one of them
    assert kinds_of(other) == []
    assert "habilitations.substitution_activated" in kinds_of(requester)
    steps.enter(client, former)
    rows = steps.table(client.get("/espace/historique").content.decode(), "Historique de sécurité")
    [row] = [row["Événement"] for row in rows if row["Événement"].startswith("Habilitation de titulaire terminée")]
    assert "SARL MARTIN DISTRIBUTION" in row and "Services : Déclarer › TVA, Payer › TVA" in row
    assert f"Avec : Madame ROSEMONDE Lila (n° d'abonné {requester.subscriber_number})" in row


def test_r_sub_1_a_titulaire_cannot_substitute_itself(client, requester, former):
    builders.grant(requester, MARTIN, "messagerie")
    refused = ask(client, services=["messagerie", "declarer_tva"])
    assert refused.status_code == 400
    assert "Vous êtes déjà titulaire de ces services pour cette entreprise : Messagerie" in text(refused)
    assert "Un titulaire ne peut pas se remplacer lui-même." in text(refused)
    assert not AdhesionRequest.objects.exists()


def test_r_sub_1_a_free_service_is_refused_pointing_to_adhesion(client, requester, former):
    refused = ask(client, services=["declarer_tva", "messagerie"])
    assert refused.status_code == 400
    page = text(refused)
    assert "Ces services n'ont pas de titulaire pour cette entreprise : Messagerie" in page
    assert "« Adhérer aux services »" in page and 'href="/espace/services/adherer"' in page


@pytest.mark.parametrize("state", [Suppleance.State.ACTIVE, Suppleance.State.ON_HOLD])
def test_r_sup_1_a_suppleant_cannot_substitute_its_titulaire(client, requester, former, state):
    builders.suppleance_with_rows(former, requester, MARTIN, state=state)
    listed = pick(client)
    assert listed.status_code == 400  # nothing offered: all MARTIN's services are its titulaire's
    assert "Aucun service de cette entreprise" in text(listed)
    refused = ask(client)
    assert refused.status_code == 400
    assert "Un administrateur suppléant ne peut pas remplacer le titulaire qui l'a désigné." in text(refused)
    assert not AdhesionRequest.objects.exists()


def test_r_sup_1_a_removed_suppleant_may_substitute(client, requester, former):
    designation = builders.suppleance_with_rows(former, requester, MARTIN)
    designation.state, designation.ended_at = Suppleance.State.REMOVED, clock.now()
    designation.save()
    Habilitation.objects.filter(suppleance=designation).update(ended_at=clock.now())
    assert ask(client).url == RECAP


def test_r_sup_1_a_suppleant_of_another_titulaire_of_the_dossier_may_substitute_this_one(client, requester, former):
    third = SpaceFactory()
    builders.grant(third, MARTIN, "messagerie")
    builders.suppleance_with_rows(third, requester, MARTIN)
    page = text(pick(client))
    assert 'value="declarer_tva"' in page and 'value="messagerie"' not in page
    assert ask(client).url == RECAP


def test_r_sub_1_a_pending_request_for_the_service_is_refused(client, requester, former, spool):
    ask(client)
    client.post(RECAP)
    refused = ask(client, services=["declarer_tva"])
    assert refused.status_code == 400 and "déjà en attente" in text(refused)
    assert AdhesionRequest.objects.count() == 1


def test_r_sub_1_recap_checks_again_at_valider(client, requester, former, spool):
    ask(client)
    Habilitation.objects.filter(space=former, service__code="payer_tva").update(ended_at=clock.now())
    refused = client.post(RECAP)
    assert refused.status_code == 409
    page = text(refused)
    assert "Ces services n'ont pas de titulaire pour cette entreprise : TVA" in page
    assert 'value="declarer_tva"' in page and 'value="payer_tva"' not in page  # no longer offered
    assert not AdhesionRequest.objects.exists() and letters_in(spool) == []


def test_r_sub_1_no_draft_no_recap_and_previous_step_keeps_the_draft(client, requester, former):
    assert client.get(RECAP).url == FORM and client.post(RECAP).url == FORM and client.get(SENT).url == FORM
    ask(client, services=["payer_tva"])
    page = text(client.get(FORM))
    assert f'value="{MARTIN}"' in page and 'value="payer_tva" id="id_services-payer_tva" checked' in page
    assert f'name="shown" value="{MARTIN}"' in page


def test_r_sub_1_another_siren_typed_after_the_services_lists_its_own(client, requester, former):
    other = SpaceFactory()
    builders.grant(other, DUPONT, "messagerie")
    listed = client.post(FORM, {"siren": DUPONT, "statut": "representant_legal", "services": ["declarer_tva"], "shown": MARTIN})
    assert listed.status_code == 200
    page = text(listed)
    assert f'name="shown" value="{DUPONT}"' in page and 'value="messagerie"' in page and 'value="declarer_tva"' not in page
    assert not AdhesionRequest.objects.exists()


def test_r_adh_2_the_adhesion_refusal_links_to_substitution(client, requester, former):
    refused = client.post("/espace/services/adherer", {"siren": MARTIN, "statut": "representant_legal", "services": ["declarer_tva"]})
    assert refused.status_code == 400
    page = text(refused)
    assert "« Remplacer le titulaire (substitution) »" in page
    assert f'href="{FORM}">Remplacer le titulaire de ces services (substitution)</a>' in page


def test_r_sub_1_letters_per_day_are_capped_with_adhesions(client, requester, former, spool, settings):
    from datetime import timedelta

    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES, "adhesion_requests_per_space": {"limit": 1, "window": timedelta(days=1)}
    }
    client.post("/espace/services/adherer", {"siren": MARTIN, "statut": "representant_legal", "services": ["messagerie"]})
    assert client.post("/espace/services/adherer/recapitulatif").status_code == 302
    ask(client)
    capped = client.post(RECAP)
    assert capped.status_code == 429 and "trop de demandes" in capped.content.decode()
    assert AdhesionRequest.objects.filter(purpose="substitution").count() == 0
    assert AuditEvent.objects.get(kind="habilitations.substitution_refused").detail["reason"] == "throttled"
