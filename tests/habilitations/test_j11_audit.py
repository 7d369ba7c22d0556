"""R-AUDIT-2: an adhesion request, its cancellation, its letter sent again and its activation are
audit events naming their subject (the dossier), shown in the owner's security history."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from core.models import AuditEvent
from dossiers.models import Dossier
from habilitations.events import Kind as Event
from tests import companies
from tests.accounts import journey
from tests.factories import SpaceFactory
from tests.habilitations import steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
EMAIL = "lila.rosemonde@exemple.fr"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def space(time_machine):
    time_machine.move_to(NOW, tick=False)
    return SpaceFactory(login_email=EMAIL)


def history_rows(client) -> list[dict]:
    return steps.table(client.get("/espace/historique").content.decode(), "Historique de sécurité")


def test_r_audit_2_request_resend_activation_and_cancellation_in_the_owners_history(
    client, space, spool, django_capture_on_commit_callbacks
):
    client.defaults["HTTP_USER_AGENT"] = FIREFOX
    steps.enter(client, space)
    martin, first_code = steps.ask(django_capture_on_commit_callbacks, spool, space)
    dupont, dupont_code = steps.ask(django_capture_on_commit_callbacks, spool, space, siren=companies.DUPONT)
    before = steps.letters(spool)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/espace/services/demandes/{martin.pk}/renvoyer").status_code == 302
    [letter] = steps.letters(spool) - before
    assert client.post(f"/espace/services/demandes/{dupont.pk}/annuler", {"confirm": "oui"}).status_code == 302
    browser = Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="198.51.100.23")
    assert journey.activate(browser, steps.code_in(letter), EMAIL).status_code == 302

    martin_dossier, dupont_dossier = Dossier.objects.get(siren=companies.MARTIN), Dossier.objects.get(siren=companies.DUPONT)
    events = {
        (event.kind, event.subject_id): event
        for event in AuditEvent.objects.filter(kind__startswith="habilitations.")
    }
    for kind, dossier in (
        (Event.ADHESION_REQUESTED, martin_dossier),
        (Event.ADHESION_REQUESTED, dupont_dossier),
        (Event.LETTER_RESENT, martin_dossier),
        (Event.ADHESION_CANCELLED, dupont_dossier),
        (Event.ADHESION_ACTIVATED, martin_dossier),
    ):
        event = events.pop((kind, str(dossier.pk)))
        assert event.space_id == space.pk and event.subject_type == "dossiers.dossier", kind
        assert event.detail["siren"] == dossier.siren
    assert events == {}
    activated = AuditEvent.objects.get(kind=Event.ADHESION_ACTIVATED)
    assert activated.detail["services"] == ["consulter_compte_fiscal", "declarer_tva", "payer_tva"]
    assert activated.ip == "198.51.100.23" and activated.user_agent == FIREFOX  # J2's request, not "inconnue"
    cancelled = AuditEvent.objects.get(kind=Event.ADHESION_CANCELLED)
    assert cancelled.detail["services"] == ["consulter_compte_fiscal", "declarer_tva", "payer_tva"]
    assert cancelled.ip == "127.0.0.1" and cancelled.user_agent == FIREFOX
    stored = str(list(AuditEvent.objects.values()))
    for code in (first_code, dupont_code, steps.code_in(letter)):  # never a code (SPEC §4)
        assert code not in stored

    steps.enter(client, space)
    rows = history_rows(client)
    said = [(row["Événement"], row["Adresse IP"]) for row in rows if "Dossier" in row["Événement"]]
    assert said == [  # newest first; same time: the last recorded first
        ("Services activés (titulaire) Dossier 732 829 320 SARL MARTIN DISTRIBUTION" + SERVICES, "198.51.100.23"),
        ("Demande d'adhésion annulée Dossier 552 081 317 DUPONT ET FILS" + SERVICES, "127.0.0.1"),
        ("Courrier d'activation renvoyé Dossier 732 829 320 SARL MARTIN DISTRIBUTION" + SERVICES, "127.0.0.1"),
        ("Demande d'adhésion aux services (courrier envoyé) Dossier 552 081 317 DUPONT ET FILS" + SERVICES, "inconnue"),
        (
            "Demande d'adhésion aux services (courrier envoyé) Dossier 732 829 320 SARL MARTIN DISTRIBUTION" + SERVICES,
            "inconnue",
        ),
    ]


SERVICES = " Services : Consulter › Compte fiscal, Déclarer › TVA, Payer › TVA"


def test_r_audit_2_another_space_sees_none_of_it(client, space, spool, django_capture_on_commit_callbacks):
    made, _ = steps.ask(django_capture_on_commit_callbacks, spool, space)
    other = SpaceFactory()
    AuditEvent.objects.create(at=NOW, kind="accounts.login_ok", space=other)
    steps.enter(client, other)
    assert [row["Événement"] for row in history_rows(client)] == ["Connexion réussie"]
    assert "MARTIN" not in client.get("/espace/historique").content.decode()


def test_r_audit_2_a_subject_that_is_gone_or_not_a_dossier_shows_the_label_alone(client, space):
    for subject_type, subject_id in (("dossiers.dossier", "424242"), ("dossiers.dossier", "abc"), ("espace.space", "1")):
        AuditEvent.objects.create(
            at=NOW, kind=Event.ADHESION_CANCELLED, space=space, subject_type=subject_type, subject_id=subject_id
        )
    steps.enter(client, space)
    labels = [row["Événement"] for row in history_rows(client) if "annulée" in row["Événement"]]
    assert labels == ["Demande d'adhésion annulée"] * 3
