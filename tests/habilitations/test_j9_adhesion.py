"""J9 "Adhérer aux services" (R-ADH-1..3), through the test client, then J2 with the letter's code."""

from datetime import timedelta
from html import unescape

import pytest
from django.test import Client

from catalogue.models import Service
from codes.models import PendingRequest
from core.models import AuditEvent
from habilitations.models import AdhesionRequest, Habilitation, Role
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.companies import DUPONT, MARTIN, SANS_SIEGE
from tests.factories import SpaceFactory
from tests.habilitations.letters import last_code, last_text, letters_in

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"
FORM = "/espace/services/adherer"
RECAP = "/espace/services/adherer/recapitulatif"
SENT = "/espace/services/adherer/courrier"


@pytest.fixture
def space(client):
    space = SpaceFactory(login_email=EMAIL)
    assert journey.login(client, EMAIL).status_code == 302
    return space


def ask(client, siren=MARTIN, services=("declarer_tva", "payer_tva"), statut="representant_legal", **extra):
    return client.post(FORM, {"siren": siren, "statut": statut, "services": list(services), **extra})


def titulaire(space, siren, code):
    return Habilitation.objects.filter(
        space=space, dossier__siren=siren, service__code=code, role=Role.TITULAIRE, ended_at__isnull=True
    ).exists()


def test_r_adh_1_the_form_lists_every_family_in_guide_order(client, space):
    page = client.get(FORM).content.decode()
    positions = [page.index(f">{family}</legend>") for family in ("Consulter", "Déclarer", "Payer", "Démarches", "Messagerie")]
    assert positions == sorted(positions)
    assert "Tout sélectionner (Déclarer)" in page and "Paiements transfrontaliers - CESOP" in page
    assert "Représentant légal" in page and "Personne mandatée" in page


def test_r_adh_1_anonymous_is_sent_to_login(client):
    assert Client().get(FORM).url == "/"


def test_r_adh_2_request_recap_letter_then_j2_makes_titulaire(
    client, space, spool, django_capture_on_commit_callbacks
):
    assert ask(client).url == RECAP
    recap = client.get(RECAP).content.decode()
    assert "SARL MARTIN DISTRIBUTION" in recap and MARTIN in recap and "Représentant légal" in recap
    assert "TVA" in recap and "Étape précédente" in recap and "60 jours" in recap
    assert letters_in(spool) == []  # nothing posted before "Valider"
    with django_capture_on_commit_callbacks(execute=True):
        validated = client.post(RECAP)
    assert validated.url == SENT
    sent = client.get(SENT).content.decode()
    assert "12 R** D* L* P***" in sent and "75002 PARIS" in sent  # R-ADH-3: masked on screen
    code = last_code(spool)
    assert code not in sent and code not in recap  # the requester never sees the code
    letter = last_text(spool)
    assert "SARL MARTIN DISTRIBUTION\n12 RUE DE LA PAIX\n75002 PARIS" in letter
    assert "Déclarer › TVA" in letter and "SIREN 732829320" in letter
    adhesion = AdhesionRequest.objects.get(space=space)
    assert adhesion.state == "pending" and sorted(adhesion.services.values_list("code", flat=True)) == ["declarer_tva", "payer_tva"]
    assert not titulaire(space, MARTIN, "declarer_tva")

    done = journey.activate(Client(), code, EMAIL)
    assert done.status_code == 302
    assert titulaire(space, MARTIN, "declarer_tva") and titulaire(space, MARTIN, "payer_tva")
    adhesion.refresh_from_db()
    assert adhesion.state == "activated"
    kinds = list(AuditEvent.objects.filter(space=space).values_list("kind", flat=True))
    assert "habilitations.adhesion_requested" in kinds and "habilitations.adhesion_activated" in kinds
    assert OutboxEmail.objects.filter(body_encrypted__contains=code).count() == 0


def test_r_adh_2_activated_page_lists_the_services(client, space, spool, django_capture_on_commit_callbacks):
    ask(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RECAP)
    other = Client()
    done = journey.activate(other, last_code(spool), EMAIL)
    page = other.get(done.url).content.decode()
    assert "Vos services ont été activés" in page
    assert "Déclarer › TVA" in page and "Payer › TVA" in page and MARTIN in page


def test_r_code_2_the_letter_code_works_once(client, space, spool, django_capture_on_commit_callbacks):
    ask(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RECAP)
    code = last_code(spool)
    assert journey.activate(Client(), code, EMAIL).status_code == 302
    again = journey.activate(Client(), code, EMAIL)
    assert again.status_code == 400
    assert Habilitation.objects.filter(space=space).count() == 2


def test_r_adh_2_the_code_needs_the_requester_login_email(client, space, spool, django_capture_on_commit_callbacks):
    SpaceFactory(login_email="autre@exemple.fr")
    ask(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RECAP)
    refused = journey.activate(Client(), last_code(spool), "autre@exemple.fr")
    assert refused.status_code == 400 and not Habilitation.objects.exists()


def test_r_adh_2_deadline_is_sixty_days(client, space, spool, time_machine):
    time_machine.move_to("2026-12-03 10:00:00+00:00", tick=False)
    ask(client)
    client.post(RECAP)
    adhesion = AdhesionRequest.objects.get()
    assert (adhesion.expires_at - adhesion.created_at).days == 60
    assert "1er février 2027" in client.get(SENT).content.decode()
    assert PendingRequest.objects.get(kind="adhesion").expires_at == adhesion.expires_at


def test_r_adh_2_expired_letter_code_refused(client, space, spool, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to("2026-12-03 10:00:00+00:00", tick=False)
    ask(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RECAP)
    code = last_code(spool)
    time_machine.move_to("2027-02-01 10:00:01+00:00", tick=False)
    assert journey.activate(Client(), code, EMAIL).status_code == 400
    assert not Habilitation.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"siren": "123456788"}, "siren", "SIREN"),
        ({"siren": ""}, "siren", "obligatoire"),
        ({"siren": "404483117"}, "siren", "n'est pas connue du répertoire SIRENE"),
        ({"siren": SANS_SIEGE}, "siren", "L'adresse du siège de cette entreprise n'est pas connue"),
        ({"services": []}, "services", "obligatoire"),
        ({"services": ["inconnu"]}, "services", "Ce choix n'est pas possible"),
        ({"statut": "roi"}, "statut", "obligatoire"),
    ],
)
def test_r_adh_1_refusals_by_the_field(client, space, data, field, text):
    answer = ask(client, **{"siren": MARTIN, "services": ["declarer_tva"], **data})
    assert answer.status_code == 400
    page = unescape(answer.content.decode())
    assert text in page and 'id="form-errors"' in page
    assert 'aria-invalid="true"' in page or field in ("statut", "services")
    assert not AdhesionRequest.objects.exists() and "habilitations_adhesion_draft" not in client.session


def test_r_adh_1_select_all_without_javascript(client, space):
    assert ask(client, services=[], services__all=["0"]).url == RECAP  # family 0: Consulter
    assert client.session["habilitations_adhesion_draft"]["services"] == ["consulter_compte_fiscal", "consulter_avis_cfe"]


def test_r_adh_2_service_already_held_refused(client, space):
    Habilitation.objects.create(
        space=space, dossier=_dossier(MARTIN), service=Service.objects.get(code="declarer_tva"), role=Role.TITULAIRE,
        started_at="2026-01-01T00:00:00Z",
    )
    page = unescape(ask(client).content.decode())
    assert "Vous êtes déjà titulaire de ces services pour cette entreprise : TVA" in page


def test_r_adh_2_service_with_another_titulaire_points_to_substitution(client, space):
    Habilitation.objects.create(
        space=SpaceFactory(), dossier=_dossier(MARTIN), service=Service.objects.get(code="payer_tva"),
        role=Role.TITULAIRE, started_at="2026-01-01T00:00:00Z",
    )
    answer = ask(client)
    assert answer.status_code == 400
    page = unescape(answer.content.decode())
    assert "déjà un titulaire" in page and "substitution" in page and "délégation" in page


def test_r_adh_2_a_pending_request_for_the_same_service_refused(client, space, spool):
    ask(client)
    client.post(RECAP)
    page = ask(client, services=["payer_tva", "declarer_is"]).content.decode()
    assert "déjà en attente" in page and AdhesionRequest.objects.count() == 1
    assert ask(client, siren=DUPONT).url == RECAP  # another dossier is fine


def test_r_adh_2_recap_checks_again_at_valider(client, space, spool):
    ask(client)
    Habilitation.objects.create(
        space=SpaceFactory(), dossier=_dossier(MARTIN), service=Service.objects.get(code="payer_tva"),
        role=Role.TITULAIRE, started_at="2026-01-01T00:00:00Z",
    )
    refused = client.post(RECAP)
    assert refused.status_code == 409 and "déjà un titulaire" in refused.content.decode()
    assert not AdhesionRequest.objects.exists() and letters_in(spool) == []


def test_r_adh_3_no_draft_no_recap(client, space):
    assert client.get(RECAP).url == FORM
    assert client.post(RECAP).url == FORM
    assert client.get(SENT).url == FORM


def test_r_adh_3_previous_step_keeps_the_draft(client, space):
    ask(client)
    page = client.get(FORM).content.decode()
    assert f'value="{MARTIN}"' in page and 'value="payer_tva" id="id_services-payer_tva" checked' in page


def test_r_adh_2_requests_per_day_are_capped(client, space, spool, settings):
    settings.THROTTLE_POLICIES = {**settings.THROTTLE_POLICIES, "adhesion_requests_per_space": {"limit": 1, "window": timedelta(days=1)}}
    ask(client)
    assert client.post(RECAP).url == SENT
    ask(client, siren=DUPONT)
    capped = client.post(RECAP)
    assert capped.status_code == 429 and "trop de demandes" in capped.content.decode()
    assert AdhesionRequest.objects.count() == 1


def test_r_adh_3_rolled_back_request_posts_nothing(client, space, spool, monkeypatch, django_capture_on_commit_callbacks):
    from habilitations.services import adhesion as service

    def broken(*args, **kwargs):
        raise RuntimeError("la base tombe")

    ask(client)
    monkeypatch.setattr(service.audit, "record", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        client.post(RECAP)
    assert letters_in(spool) == [] and not AdhesionRequest.objects.exists() and not PendingRequest.objects.exists()


def _dossier(siren):
    from core import clock
    from dossiers.services.dossiers import open_dossier

    return open_dossier(siren=siren, name="", now=clock.now())


def test_r_adh_2_a_new_login_email_carries_the_letter_code(client, space, spool, django_capture_on_commit_callbacks):
    """J4 during the letter's 60 days: the code is entered with the new login (codes.requests.follow_login_email)."""
    from accounts.services import spaces

    ask(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RECAP)
    code = last_code(spool)
    change = PendingRequest.objects.create(
        kind="email_change", email="nouvelle@exemple.fr", code_hash="c" * 64, space=space,
        created_at=space.created_at, expires_at=space.created_at,
    )
    spaces.change_login_email(change, {}, change.created_at)
    assert PendingRequest.objects.get(kind="adhesion").email == "nouvelle@exemple.fr"
    assert journey.activate(Client(), code, EMAIL).status_code == 400
    assert journey.activate(Client(), code, "nouvelle@exemple.fr").status_code == 302


def test_r_adh_1_a_ceased_company_is_refused(client, space, companies):
    companies.add_company("404483117", "ANCIENNE SARL", ["1 RUE HAUTE", "75001 PARIS"], active=False)
    answer = ask(client, siren="404483117")
    assert answer.status_code == 400 and "est cessée" in unescape(answer.content.decode())


def test_r_adh_2_over_the_sirene_table_the_letter_goes_to_the_imported_siege(
    client, space, spool, settings, django_capture_on_commit_callbacks
):
    """The register as production reads it (registre.registers.SireneTable), not this folder's."""
    from registre.models import Company, Siege

    settings.COMPANY_REGISTER = "registre.registers.SireneTable"
    company = Company.objects.create(siren="404483117", name="ATELIERS DU LAC")
    Siege.objects.create(
        company=company, siret="40448311700015", number="3", street_type="AV", street_name="DU LAC",
        postal_code="74000", city="ANNECY",
    )
    ask(client, siren="404483117")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(RECAP).url == SENT
    assert "ATELIERS DU LAC\n3 AVENUE DU LAC\n74000 ANNECY" in last_text(spool)
    assert AdhesionRequest.objects.get().address == ["ATELIERS DU LAC", "3 AVENUE DU LAC", "74000 ANNECY"]


def test_r_adh_2_a_new_password_keeps_the_letter_code(client, space, spool, django_capture_on_commit_callbacks):
    """J4/J5 end the space's other requests (accounts.services.passwords), not a letter to the siège."""
    from accounts.services import passwords
    from core import clock

    ask(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RECAP)
    code = last_code(spool)
    PendingRequest.objects.create(
        kind="email_change", email="x@exemple.fr", code_hash="d" * 64, space=space,
        created_at=clock.now(), expires_at=clock.now() + timedelta(hours=1),
    )
    passwords.set_password(space, at=clock.now(), password_hash="argon2$nouveau")
    assert list(PendingRequest.objects.filter(space=space).values_list("kind", flat=True)) == ["adhesion"]
    assert journey.activate(Client(), code, EMAIL).status_code == 302
