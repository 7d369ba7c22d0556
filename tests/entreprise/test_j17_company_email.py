"""J17 "Modifier l'adresse électronique de l'entreprise" (R-ENT-1, R-AUDIT-2): the new address
twice → a code to it (48 h) → typed in the one activation entry (J2) with the requester's login
email → the dossier's company email; the previous address is told; every manager's history
shows it. Refusals: délégataire, suppléant on hold, another space (404), bad addresses, a hold
between request and activation (CodeVoid), an expired code."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from codes.models import PendingRequest
from codes.requests import follow_login_email
from core import clock
from core.models import AuditEvent
from dossiers.models import Dossier
from entreprise.kinds import Kind
from entreprise.services import company_email
from habilitations import policy
from habilitations.models import Habilitation, Suppleance
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.companies import DUPONT, MARTIN
from tests.entreprise import steps
from tests.entreprise.steps import CHOOSER, FORM, NEW, OLD, SENT, ask, code_sent_to, mails_to, read
from tests.factories import SpaceFactory
from tests.habilitations.holdings import sign_in

pytestmark = pytest.mark.django_db
REFUSED_CODE = "ne permettent pas l'activation"
REQUESTED, CHANGED = "entreprise.company_email_requested", "entreprise.company_email_changed"


@pytest.fixture
def space(client):
    space = SpaceFactory(login_email="lila.rosemonde@exemple.fr", last_name="ROSEMONDE", first_name="Lila")
    sign_in(client, space)
    return space


@pytest.fixture
def titulaire(space):
    steps.titulaire(space)
    return space


def martin() -> Dossier:
    return Dossier.objects.get(siren=MARTIN)


def activate(code, email="lila.rosemonde@exemple.fr"):
    return journey.activate(Client(), code, email)


def test_r_ent_1_the_journey_of_a_titulaire(client, titulaire):
    Dossier.objects.filter(siren=MARTIN).update(company_email=OLD)
    page = client.get(FORM)
    assert page.status_code == 200
    assert f"Adresse électronique actuelle de l'entreprise : {OLD}" in read(page).replace("<strong>", "").replace("</strong>", "")
    response = ask(client)
    assert response.status_code == 302 and response["Location"] == SENT
    sent = read(client.get(SENT))
    assert f"Un code a été envoyé à l'adresse <strong>{NEW}</strong>" in sent
    assert "valable 48 heures" in sent and "/activation" in sent and "Activez votre espace ou vos services" in sent
    # Nothing changes before the code: the dossier keeps its address.
    assert martin().company_email == OLD
    [mail] = mails_to(NEW, steps.CODE_SUBJECT)
    assert "Madame ROSEMONDE Lila a demandé" in mail and "SARL MARTIN DISTRIBUTION (SIREN 732 829 320)" in mail
    assert "48 heures" in mail
    pending = PendingRequest.objects.get(kind=Kind.DOSSIER_EMAIL)
    assert pending.email == titulaire.login_email and pending.held_email is None
    assert pending.expires_at - pending.created_at == timedelta(hours=48)
    requested = AuditEvent.objects.get(kind=REQUESTED)
    assert requested.space == titulaire and requested.subject_id == str(martin().pk)
    # J2, with the login email (the one activation entry).
    done = activate(code_sent_to())
    assert done.status_code == 302
    dossier = martin()
    assert dossier.company_email == NEW and dossier.company_email_changed_at is not None
    [notice] = mails_to(OLD, steps.NOTICE_SUBJECT)
    assert "a été modifiée dans l'espace professionnel" in notice and "par Madame ROSEMONDE Lila" in notice
    assert "c***@martin-distribution.fr" in notice and NEW not in notice
    [changed] = AuditEvent.objects.filter(kind=CHANGED)
    assert changed.space == titulaire and changed.detail["company_email"] == NEW
    assert changed.subject_id == str(dossier.pk)
    # The request is consumed: its payload is wiped, the sent page goes back to the form.
    assert PendingRequest.objects.get(pk=pending.pk).used_at is not None
    assert client.get(SENT)["Location"] == FORM
    assert f"{NEW}</strong>" in read(client.get(FORM))


def test_r_ent_1_the_confirmation_page_of_j2_names_the_dossier(client, titulaire):
    ask(client)
    browser = Client()
    done = journey.activate(browser, code_sent_to(), titulaire.login_email)
    page = read(browser.get(done["Location"]))
    assert "L'adresse électronique de l'entreprise a été modifiée" in page
    assert 'SARL MARTIN DISTRIBUTION (SIREN <span class="espace-nowrap">732 829 320</span>)' in page and f"<strong>{NEW}</strong>" in page


def test_r_ent_1_no_notice_when_the_dossier_had_no_address(client, titulaire):
    assert "aucune adresse connue" in read(client.get(FORM))
    ask(client)
    assert activate(code_sent_to()).status_code == 302
    assert martin().company_email == NEW
    assert not OutboxEmail.objects.filter(subject=steps.NOTICE_SUBJECT).exists()


def test_r_ent_1_an_active_suppleant_changes_it_and_the_titulaire_sees_it(client, space):
    owner = SpaceFactory(last_name="MARTIN", first_name="Paul", civility="M")
    steps.titulaire(owner)
    steps.suppleant(space, owner)
    Dossier.objects.filter(siren=MARTIN).update(company_email=OLD)
    assert ask(client).status_code == 302
    assert activate(code_sent_to()).status_code == 302
    assert martin().company_email == NEW
    rows = {event.space_id: event for event in AuditEvent.objects.filter(kind=CHANGED)}
    assert set(rows) == {space.pk, owner.pk}
    assert rows[owner.pk].detail["party"].startswith("Madame ROSEMONDE Lila (n° d'abonné")
    assert rows[space.pk].detail["party"].startswith("Monsieur MARTIN Paul (n° d'abonné")
    # The titulaire's security history shows who changed it, for which dossier.
    owner_client = Client()
    sign_in(owner_client, owner)
    history = read(owner_client.get("/espace/historique"))
    assert "Adresse électronique de l'entreprise modifiée" in history and "ROSEMONDE Lila" in history
    assert "Dossier 732 829 320 SARL MARTIN DISTRIBUTION" in history
    # The requester's history shows the request too.
    assert "Changement de l'adresse électronique de l'entreprise demandé" in read(client.get("/espace/historique"))


def test_r_ent_1_a_delegataire_an_on_hold_suppleant_and_another_space_get_404(client, space):
    owner = SpaceFactory()
    steps.titulaire(owner)
    steps.delegataire(space, owner)
    assert client.get(FORM).status_code == 404 and ask(client).status_code == 404
    assert client.get(SENT).status_code == 404
    Habilitation.objects.filter(space=space).delete()
    steps.suppleant(space, owner, on_hold=True)
    assert client.get(FORM).status_code == 404 and ask(client).status_code == 404
    Habilitation.objects.filter(space=space).delete()
    assert client.get(FORM).status_code == 404 and ask(client).status_code == 404  # nothing held there
    assert client.get(f"/espace/dossiers/{DUPONT}/adresse-entreprise").status_code == 404  # no dossier at all
    assert not PendingRequest.objects.exists() and not OutboxEmail.objects.exists()


def test_r_ent_1_the_service_refuses_who_may_not_manage(space):
    owner = SpaceFactory()
    steps.titulaire(owner)
    steps.delegataire(space, owner)
    with pytest.raises(PermissionError):
        company_email.request_change(
            request=None, space=space, access=policy.access(space, MARTIN), email=NEW, now=clock.now()
        )


def test_r_ent_1_mismatched_invalid_and_unchanged_addresses_are_refused(client, titulaire):
    response = ask(client, NEW, "autre@martin-distribution.fr")
    assert response.status_code == 400
    assert "Les deux adresses électroniques saisies ne sont pas identiques." in read(response)
    response = ask(client, "pas-une-adresse")
    assert response.status_code == 400 and "Saisissez une adresse électronique valide" in read(response)
    response = ask(client, "a" * 95 + "@exemple.fr")
    assert response.status_code == 400 and "ne doit pas dépasser 100 caractères" in read(response)
    response = ask(client, "", "")
    assert response.status_code == 400 and "Ce champ est obligatoire." in read(response)
    Dossier.objects.filter(siren=MARTIN).update(company_email=NEW)
    response = ask(client, " Contact@Martin-Distribution.FR ")  # the same address, normalised
    assert response.status_code == 400 and "Cette adresse est déjà l'adresse électronique de l'entreprise." in read(response)
    assert not PendingRequest.objects.exists() and not OutboxEmail.objects.exists()
    assert not AuditEvent.objects.filter(kind=REQUESTED).exists()


def test_r_ent_1_the_address_is_normalised_as_a_login(client, titulaire):
    ask(client, " Contact@Martin-Distribution.FR ")
    assert activate(code_sent_to(NEW)).status_code == 302
    assert martin().company_email == NEW


def test_r_ent_1_a_hold_between_request_and_activation_voids_the_code(client, space):
    owner = SpaceFactory()
    steps.titulaire(owner)
    link = steps.suppleant(space, owner)
    ask(client)
    code = code_sent_to()
    Habilitation.objects.filter(suppleance=link).update(on_hold=True)
    Suppleance.objects.filter(pk=link.pk).update(state=Suppleance.State.ON_HOLD)
    response = activate(code)
    assert response.status_code == 400 and REFUSED_CODE in read(response)
    assert martin().company_email == ""
    assert AuditEvent.objects.filter(kind="codes.activation_failed", detail__reason="void").exists()
    assert not AuditEvent.objects.filter(kind=CHANGED).exists()
    # The consumption rolled back with the refusal: once reactivated, the same code works.
    Habilitation.objects.filter(suppleance=link).update(on_hold=False)
    assert activate(code).status_code == 302 and martin().company_email == NEW


def test_r_ent_1_a_closed_space_or_a_lost_dossier_voids_the_code(client, titulaire):
    ask(client)
    code = code_sent_to()
    type(titulaire).objects.filter(pk=titulaire.pk).update(is_active=False)
    assert activate(code).status_code == 400
    assert martin().company_email == ""


def test_r_ent_1_the_code_expires_after_48_hours(client, titulaire):
    ask(client)
    code = code_sent_to()
    with time_machine.travel(clock.now() + timedelta(hours=48, seconds=1), tick=False):
        response = activate(code)
        sign_in(client, titulaire)  # the session of two days ago is over
        assert client.get(SENT)["Location"] == FORM  # no live request: nothing to show
    assert response.status_code == 400 and REFUSED_CODE in read(response)
    assert AuditEvent.objects.filter(kind="codes.activation_failed", detail__reason="expired").exists()
    assert martin().company_email == ""


def test_r_ent_1_the_code_still_works_just_before_48_hours(client, titulaire):
    ask(client)
    code = code_sent_to()
    with time_machine.travel(clock.now() + timedelta(hours=47, minutes=59), tick=False):
        assert activate(code).status_code == 302
    assert martin().company_email == NEW


def test_r_ent_1_the_code_is_refused_with_the_company_email_and_works_once(client, titulaire):
    ask(client)
    code = code_sent_to()
    assert activate(code, NEW).status_code == 400
    assert activate(code).status_code == 302
    assert activate(code).status_code == 400


def test_r_ent_1_a_new_request_for_the_dossier_replaces_the_earlier(client, titulaire):
    ask(client, "premiere@martin-distribution.fr")
    first = code_sent_to("premiere@martin-distribution.fr")
    ask(client)
    assert "Un code a été envoyé le" in read(client.get(FORM))
    assert PendingRequest.objects.filter(kind=Kind.DOSSIER_EMAIL).count() == 1
    assert activate(first).status_code == 400
    assert activate(code_sent_to()).status_code == 302 and martin().company_email == NEW


def test_r_ent_1_requests_for_two_dossiers_run_at_once(client, titulaire):
    steps.titulaire(titulaire, DUPONT, name="DUPONT ET FILS")
    ask(client)
    other = "contact@dupont.fr"
    assert client.post(
        f"/espace/dossiers/{DUPONT}/adresse-entreprise", {"email": other, "email_confirm": other}
    ).status_code == 302
    assert PendingRequest.objects.filter(kind=Kind.DOSSIER_EMAIL).count() == 2
    assert activate(code_sent_to()).status_code == 302
    assert activate(code_sent_to(other)).status_code == 302
    assert martin().company_email == NEW and Dossier.objects.get(siren=DUPONT).company_email == other


def test_r_ent_1_the_code_follows_a_change_of_login(client, titulaire):
    ask(client)
    code = code_sent_to()
    # J4 applied (the login moved): the code is typed with the new login (codes.requests.follow_login_email).
    type(titulaire).objects.filter(pk=titulaire.pk).update(login_email="nouvelle@exemple.fr")
    follow_login_email(titulaire, "nouvelle@exemple.fr")
    assert activate(code, "nouvelle@exemple.fr").status_code == 302


def test_r_ent_1_requests_are_throttled_per_space(client, titulaire, settings):
    settings.THROTTLE_POLICIES = {
        **settings.THROTTLE_POLICIES, "company_email_requests_per_space": {"limit": 2, "window": timedelta(hours=1)}
    }
    assert ask(client).status_code == 302
    assert ask(client).status_code == 302
    response = ask(client)
    assert response.status_code == 429 and "trop de demandes de modification" in read(response)
    assert OutboxEmail.objects.filter(subject=steps.CODE_SUBJECT).count() == 2


def test_r_ent_1_the_sent_page_without_a_request_goes_to_the_form(client, titulaire):
    assert client.get(SENT)["Location"] == FORM


def test_r_ent_1_the_chooser_lists_managed_dossiers_only(client, space):
    assert "Vous n'êtes titulaire ou administrateur suppléant d'aucun dossier" in read(client.get(CHOOSER))
    steps.titulaire(space)
    assert client.get(CHOOSER)["Location"] == FORM  # one dossier: straight to it
    owner = SpaceFactory()
    steps.titulaire(owner, DUPONT, name="DUPONT ET FILS")
    steps.delegataire(space, owner, DUPONT)
    assert client.get(CHOOSER)["Location"] == FORM  # a delegated dossier is not offered
    steps.suppleant(space, owner, DUPONT)
    page = read(client.get(CHOOSER))
    assert FORM in page and f"/espace/dossiers/{DUPONT}/adresse-entreprise" in page
    assert page.index("DUPONT ET FILS") < page.index("SARL MARTIN DISTRIBUTION")  # by name
    assert "Aucune adresse connue" in page


def test_r_ent_1_manage_page_links_to_the_chooser(client, space):
    page = read(client.get("/espace/gerer"))
    assert 'href="/espace/entreprise/adresse">Modifier l\'adresse électronique de l\'entreprise</a>' in page


def test_r_ent_1_pages_need_a_session():
    anonymous = Client()
    for url in (CHOOSER, FORM, SENT):
        assert anonymous.get(url).status_code == 302


def test_r_ent_1_done_context_without_an_event_is_empty(space):
    assert company_email.changed(space, clock.now()) == {}
