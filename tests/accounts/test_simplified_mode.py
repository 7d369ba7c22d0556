"""Mode simplifié (R-ADH-4) through the Django test client: J1 asks the company's SIREN and email,
the space's activation sends a code to that email (72 h), and that code, typed in J2 with the
login email, posts the letter of every free service to the siège (R-ADH-2)."""

import html
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from accounts import selectors
from accounts.models import Space
from accounts.services import spaces
from catalogue.models import Service
from codes.models import PendingRequest
from core import clock
from core.models import AuditEvent
from dossiers.models import Dossier
from habilitations.models import AdhesionRequest, Habilitation, Role, Statut
from habilitations.services import adhesion
from mailer.models import OutboxEmail
from tests import companies as known
from tests.accounts import journey
from tests.accounts.simplified_steps import (
    COMPANY,
    COMPANY_EMAIL,
    EMAIL,
    SIREN,
    SUBJECT,
    create_space,
    mails_to,
    register,
    to_form,
)
from tests.database import all_database_text
from tests.codes.letter_files import code_in, text_of
from tests.factories import SpaceFactory
from tests.habilitations.letters import letters_in
from tests.hostile import FUZZ, HOSTILE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("companies")]
REFUSED_CODE = "ne permettent pas l'activation"


def read(response) -> str:
    """The page as a person reads it: HTML entities decoded (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())


def company_code():
    """The code of the last email sent to the company's address."""
    return journey.last_code(COMPANY_EMAIL)


def nothing_stored():
    assert Space.objects.count() == PendingRequest.objects.count() == OutboxEmail.objects.count() == 0


# --- J1: the wizard ---------------------------------------------------------------------------
def test_r_adh_4_only_the_simplified_mode_asks_the_company(client):
    journey.start(client, mode="expert")
    journey.credentials(client, EMAIL)
    expert = read(client.get("/creation/formulaire"))
    assert "SIREN de votre entreprise" not in expert and "Adresse électronique de votre entreprise" not in expert
    # Fields the expert form does not have are ignored, never stored.
    assert journey.profile(client, **COMPANY).status_code == 302
    assert "siren" not in client.session["espace_creation"]["form"]

    simplified = Client()
    to_form(simplified)
    page = read(simplified.get("/creation/formulaire"))
    assert "Votre entreprise (mode simplifié)" in page
    for label in (
        "SIREN de votre entreprise",
        "Adresse électronique de votre entreprise",
        "Confirmer l'adresse électronique de votre entreprise",
    ):
        assert label in page
    assert "Étape 3 sur 4" in page  # the same four steps: the company is part of step 3


@pytest.mark.parametrize(
    "siren, error",
    [
        ("732 829 321", "Le SIREN doit comporter 9 chiffres et être valide"),  # R-SIREN-1: Luhn
        ("12345", "Le SIREN doit comporter 9 chiffres et être valide"),
        ("", "Ce champ est obligatoire."),
        ("552 100 554", "n'est pas connue du répertoire SIRENE"),  # valid, unknown to the register
        (known.SANS_SIEGE, "L'adresse du siège de cette entreprise n'est pas connue"),
        (known.DUPONT, "Cette entreprise est cessée selon le répertoire SIRENE"),  # closed, below
    ],
)
def test_r_adh_4_a_siren_the_letter_cannot_reach_is_refused_by_the_field(client, siren, error):
    known.add_company(known.DUPONT, "DUPONT ET FILS", ["3 AVENUE DES PINS", "33000 BORDEAUX"], active=False)
    to_form(client)
    response = journey.profile(client, **{**COMPANY, "siren": siren})
    assert response.status_code == 400
    page = read(response)
    assert error in page and 'id="id_siren-desc-error"' in page  # by the field (RGAA 11.10)
    assert "form" not in client.session["espace_creation"]
    nothing_stored()


def test_r_adh_4_the_unknown_company_message_is_the_catalogues(client):
    to_form(client)
    page = read(journey.profile(client, **{**COMPANY, "siren": "552100554"}))
    assert "contactez le service des impôts des entreprises (SIE) dont elle dépend." in page


@pytest.mark.parametrize(
    "email, confirm, error",
    [
        (COMPANY_EMAIL, "autre@martin-distribution.fr", "Les deux adresses électroniques saisies ne sont pas"),
        ("pas-une-adresse", "pas-une-adresse", "Saisissez une adresse électronique valide"),
        ("", "", "Ce champ est obligatoire."),
    ],
)
def test_r_adh_4_the_company_email_is_typed_twice_and_valid(client, email, confirm, error):
    to_form(client)
    response = journey.profile(client, **{**COMPANY, "company_email": email, "company_email_confirm": confirm})
    assert response.status_code == 400 and error in read(response)
    nothing_stored()


def test_r_adh_4_the_summary_shows_the_company_and_going_back_keeps_it(client):
    to_form(client)
    typed = {**COMPANY, "company_email": " Contact@Martin-Distribution.FR "}
    assert journey.profile(client, **typed).status_code == 302
    summary = read(client.get("/creation/inscription"))
    section = summary.split("Votre entreprise (mode simplifié)")[1]
    assert "732 829 320" in section and "SARL MARTIN DISTRIBUTION" in section
    # Nothing of the company is proven yet: the street is masked as J9 masks it.
    assert "12 R** D* L* P***<br>75002 PARIS" in section and "RUE DE LA PAIX" not in section
    assert COMPANY_EMAIL in section  # normalised (R-MAIL-1)
    assert "un code valable 72 heures sera envoyé à l'adresse électronique de l'entreprise" in section
    back = read(client.get("/creation/formulaire"))
    assert 'value="732829320"' in back and back.count(f'value="{COMPANY_EMAIL}"') == 2


def test_r_adh_4_the_summary_shows_the_siren_alone_when_the_register_lost_it(client, companies):
    to_form(client)
    assert journey.profile(client, **COMPANY).status_code == 302
    del companies.KNOWN[SIREN]
    summary = read(client.get("/creation/inscription"))
    section = summary.split("Votre entreprise (mode simplifié)")[1]
    assert "732 829 320" in section and "SARL MARTIN DISTRIBUTION" not in section
    assert "Raison sociale :</dt><dd>non connue" in section and "Adresse du siège :</dt><dd>non connue" in section


def test_r_adh_4_the_expert_summary_has_no_company_section(client):
    journey.start(client)
    journey.credentials(client, EMAIL)
    journey.profile(client)
    assert "Votre entreprise (mode simplifié)" not in read(client.get("/creation/inscription"))


def test_r_adh_4_step_3_going_back_keeps_the_company_typed(client):
    to_form(client)
    client.post("/creation/formulaire", {**journey.PROFILE, **COMPANY, "siren": "12", "action": "back"})
    page = read(client.get("/creation/formulaire"))
    assert 'value="12"' in page and page.count(f'value="{COMPANY_EMAIL}"') == 2


def test_r_adh_4_the_creation_request_carries_the_company_and_the_sent_page_says_so(client):
    assert register(client).status_code == 302
    pending = PendingRequest.objects.get()
    assert pending.kind == "creation" and pending.email == EMAIL
    assert pending.payload["siren"] == SIREN and pending.payload["company_email"] == COMPANY_EMAIL
    assert pending.payload["mode"] == "simplifie" and "company_email_confirm" not in pending.payload
    assert [mail.to for mail in OutboxEmail.objects.all()] == [EMAIL]  # nothing to the company yet
    sent = read(client.get("/creation/code-envoye"))
    assert f"adresse électronique de votre entreprise ({COMPANY_EMAIL})" in sent


# --- J2: the space, then the company's code -----------------------------------------------------
def test_r_adh_4_activating_the_space_sends_a_72_hour_code_to_the_company_email_only(client):
    space, done = create_space(client)
    assert done.status_code == 302
    [(subject, body)] = mails_to(COMPANY_EMAIL)
    assert subject == SUBJECT
    assert "Madame ROSEMONDE Lila crée un espace professionnel en mode simplifié" in body
    assert "SARL MARTIN DISTRIBUTION (SIREN 732 829 320)" in body
    assert "Vous disposez d'un délai de 72 heures maximum" in body
    assert "Pour votre sécurité" in body  # the seeds' footer (R-EMAIL-1)
    code = company_code()
    assert all(code not in text for _, text in mails_to(EMAIL))  # the login's mailbox gets only its own code
    assert code not in all_database_text()  # hashed, and the outbox encrypted (R-CODE-1)
    pending = PendingRequest.objects.get(kind="company_email")
    assert pending.space == space and pending.email == EMAIL and pending.held_email is None
    assert pending.expires_at - pending.created_at == timedelta(hours=72)
    assert pending.payload == {"siren": SIREN, "company_email": COMPANY_EMAIL}
    assert AuditEvent.objects.filter(kind="accounts.company_email_requested", space=space).exists()

    page = read(client.get(done.url))
    assert "Votre inscription a été réalisée le" in page
    assert "Confirmez l'adresse électronique de votre entreprise" in page
    assert f"Un code a été envoyé à l'adresse électronique de votre entreprise ({COMPANY_EMAIL})" in page
    assert "Il est valable 72 heures, jusqu'au" in page


def test_r_adh_4_the_expert_mode_sends_no_company_code(client):
    journey.register(client, EMAIL)
    done = journey.activate(client, journey.last_code(EMAIL), EMAIL)
    assert done.status_code == 302
    assert not PendingRequest.objects.filter(kind="company_email").exists()
    assert [mail.to for mail in OutboxEmail.objects.all()] == [EMAIL]
    assert "Confirmez l'adresse électronique de votre entreprise" not in read(client.get(done.url))


def test_r_adh_4_the_company_code_posts_the_letter_of_every_service(
    client, spool, django_capture_on_commit_callbacks
):
    space, _ = create_space(client)
    code = company_code()
    with django_capture_on_commit_callbacks(execute=True):
        done = journey.activate(Client(), code, EMAIL)  # any browser, with the LOGIN email
    assert done.status_code == 302 and done.url == "/activation/recapitulatif"

    asked = AdhesionRequest.objects.get()
    assert asked.space == space and asked.dossier.siren == SIREN and asked.statut == Statut.REPRESENTANT_LEGAL
    assert set(asked.services.all()) == set(Service.objects.all()) and Service.objects.count() > 1
    assert asked.state == AdhesionRequest.State.PENDING and asked.pending.kind == "adhesion"
    [letter] = letters_in(spool)
    text = text_of(letter)
    assert "SARL MARTIN DISTRIBUTION\n12 RUE DE LA PAIX\n75002 PARIS" in text  # the whole address
    assert all(service.label in " ".join(text.split()) for service in Service.objects.all())
    assert PendingRequest.objects.get(kind="company_email").used_at is not None
    assert not Habilitation.objects.exists()  # titulaire only with the letter's code


def test_r_adh_4_the_confirmation_page_says_where_the_letter_went(client, spool, django_capture_on_commit_callbacks):
    create_space(client)
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        done = journey.activate(browser, company_code(), EMAIL)
    page = read(browser.get(done.url))
    assert "Votre adresse électronique d'entreprise est confirmée pour l'entreprise SARL MARTIN DISTRIBUTION" in page
    assert (
        "Un courrier contenant le code d'activation de vos services a été envoyé au siège de votre entreprise"
        in page
    )
    assert "SARL MARTIN DISTRIBUTION<br>12 R** D* L* P***<br>75002 PARIS" in page  # the letter has it whole
    assert all(service.label in page for service in Service.objects.all())
    assert "Le code est valable jusqu'au" in page
    assert "déjà un titulaire" not in page
    # The letter's code then makes the space titulaire of every service (R-ADH-2).
    letter_code = code_in(letters_in(spool)[0])
    assert journey.activate(Client(), letter_code, EMAIL).status_code == 302
    assert Habilitation.objects.filter(role=Role.TITULAIRE, dossier__siren=SIREN).count() == Service.objects.count()


def test_r_adh_4_a_new_login_email_carries_the_company_code(client, spool):
    """J4 during the 72 h: the company's code is entered with the new login (codes.requests.follow_login_email)."""
    space, _ = create_space(client)
    code = company_code()
    change = PendingRequest.objects.create(
        kind="email_change", email="nouvelle@exemple.fr", code_hash="c" * 64, space=space,
        created_at=clock.now(), expires_at=clock.now(),
    )
    spaces.change_login_email(change, {}, clock.now())
    assert PendingRequest.objects.get(kind="company_email").email == "nouvelle@exemple.fr"
    assert journey.activate(Client(), code, EMAIL).status_code == 400
    assert journey.activate(Client(), code, "nouvelle@exemple.fr").status_code == 302
    assert AdhesionRequest.objects.get().space == space


def test_r_adh_4_the_company_code_is_refused_with_the_company_email(client):
    create_space(client)
    response = journey.activate(Client(), company_code(), COMPANY_EMAIL)
    assert response.status_code == 400 and REFUSED_CODE in read(response)
    assert not AdhesionRequest.objects.exists()


def test_r_adh_4_the_company_code_expires_after_72_hours(client, spool):
    create_space(client)
    code = company_code()
    with time_machine.travel(clock.now() + timedelta(hours=72, seconds=1), tick=False):
        response = journey.activate(Client(), code, EMAIL)
    assert response.status_code == 400 and REFUSED_CODE in read(response)
    assert not AdhesionRequest.objects.exists() and letters_in(spool) == []
    assert AuditEvent.objects.filter(kind="codes.activation_failed", detail__reason="expired").exists()


def test_r_adh_4_the_company_code_still_works_just_before_72_hours(client, spool):
    create_space(client)
    code = company_code()
    with time_machine.travel(clock.now() + timedelta(hours=71, minutes=59), tick=False):
        assert journey.activate(Client(), code, EMAIL).status_code == 302
    assert AdhesionRequest.objects.count() == 1


def test_r_adh_4_the_company_code_works_once(client, spool):
    create_space(client)
    code = company_code()
    assert journey.activate(Client(), code, EMAIL).status_code == 302
    assert journey.activate(Client(), code, EMAIL).status_code == 400
    assert AdhesionRequest.objects.count() == 1


def test_r_adh_4_only_the_free_services_are_asked_and_the_page_says_which_are_not(
    client, spool, django_capture_on_commit_callbacks
):
    create_space(client)
    other = SpaceFactory(login_email="comptable@cabinet.fr")
    dossier = Dossier.objects.create(siren=SIREN, name="SARL MARTIN DISTRIBUTION", created_at=clock.now())
    taken = list(Service.objects.all()[:2])
    for service in taken:
        Habilitation.objects.create(
            space=other, dossier=dossier, service=service, role=Role.TITULAIRE, started_at=clock.now()
        )
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        done = journey.activate(browser, company_code(), EMAIL)
    asked = AdhesionRequest.objects.get()
    assert set(asked.services.all()) == set(Service.objects.exclude(pk__in=[s.pk for s in taken]))
    [letter] = letters_in(spool)
    assert all(service.label not in text_of(letter) for service in taken)
    page = read(browser.get(done.url))
    listed = page.split("ont déjà un titulaire pour cette entreprise et n'ont pas été demandés")[1]
    assert all(service.label in listed for service in taken)
    assert "demande de substitution" in listed and "délégataire" in listed
    assert "Un courrier contenant le code d'activation de vos services a été envoyé" in page


def test_r_adh_4_when_every_service_has_a_titulaire_no_letter_and_the_page_says_so(
    client, spool, django_capture_on_commit_callbacks
):
    space, _ = create_space(client)
    other = SpaceFactory(login_email="comptable@cabinet.fr")
    dossier = Dossier.objects.create(siren=SIREN, name="SARL MARTIN DISTRIBUTION", created_at=clock.now())
    for service in Service.objects.all():
        Habilitation.objects.create(
            space=other, dossier=dossier, service=service, role=Role.TITULAIRE, started_at=clock.now()
        )
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        done = journey.activate(browser, company_code(), EMAIL)
    assert done.status_code == 302  # the company's email is proven: the code is used
    assert not AdhesionRequest.objects.exists() and letters_in(spool) == []
    assert PendingRequest.objects.get(kind="company_email").used_at is not None
    page = read(browser.get(done.url))
    assert "Votre adresse électronique d'entreprise est confirmée" in page
    assert "Aucun courrier n'a été envoyé" in page and "demande de substitution" in page
    assert "/substitution" not in page  # that journey is not built: plain text, no link
    event = AuditEvent.objects.get(kind="accounts.company_email_confirmed", space=space)
    assert event.detail["adhesion"] is None and len(event.detail["taken"]) == Service.objects.count()


def test_r_adh_4_services_the_space_asked_already_are_not_asked_again(
    client, spool, django_capture_on_commit_callbacks
):
    space, _ = create_space(client)
    first = list(Service.objects.all()[:1])
    with django_capture_on_commit_callbacks(execute=True):
        adhesion.request_adhesion(
            space=space, siren=SIREN, statut=Statut.REPRESENTANT_LEGAL, service_codes=[first[0].code], now=clock.now()
        )
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        done = journey.activate(browser, company_code(), EMAIL)
    second = AdhesionRequest.objects.exclude(services__in=first).get()
    assert set(second.services.all()) == set(Service.objects.exclude(pk=first[0].pk))
    page = read(browser.get(done.url))
    assert "déjà détenus ou demandés par votre espace" in page.split("Services demandés")[1]


def test_r_adh_4_a_company_the_register_lost_meanwhile_gets_no_letter_and_the_advice(
    client, spool, companies, django_capture_on_commit_callbacks
):
    create_space(client)
    del companies.KNOWN[SIREN]
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        done = journey.activate(browser, company_code(), EMAIL)
    assert done.status_code == 302 and not AdhesionRequest.objects.exists() and letters_in(spool) == []
    page = read(browser.get(done.url))
    assert "(SIREN 732 829 320)" in page
    assert "n'est pas connue du répertoire SIRENE" in page


def test_r_adh_4_a_closed_space_cannot_use_the_company_code(client, spool):
    space, _ = create_space(client)
    Space.objects.filter(pk=space.pk).update(is_active=False)
    response = journey.activate(Client(), company_code(), EMAIL)
    assert response.status_code == 400 and REFUSED_CODE in read(response)
    assert PendingRequest.objects.get(kind="company_email").used_at is None  # rolled back with the refusal
    assert not AdhesionRequest.objects.exists()


def test_r_adh_4_no_outcome_before_the_company_code_is_used(client):
    space, _ = create_space(client)
    assert selectors.company_email_outcome(space, clock.now()) is None
    assert selectors.company_email_sent(space, space.created_at).company_email == COMPANY_EMAIL


def test_r_adh_4_the_company_email_may_be_the_login_email(client, spool):
    space, _ = create_space(client, EMAIL, company_email=EMAIL, company_email_confirm=EMAIL)
    subjects = [subject for subject, _ in mails_to(EMAIL)]
    assert subjects == ["Espace professionnel - Activation de l'espace", SUBJECT]
    assert journey.activate(Client(), journey.last_code(EMAIL), EMAIL).status_code == 302
    assert AdhesionRequest.objects.get().space == space


# --- Bad input ----------------------------------------------------------------------------------
@FUZZ
@given(values=st.dictionaries(st.sampled_from(list(COMPANY)), HOSTILE, min_size=1))
def test_r_adh_4_hostile_company_fields_never_fail(client, values):
    to_form(client)
    response = journey.profile(client, **{**COMPANY, **values})
    assert response.status_code in (302, 400)
    nothing_stored()
