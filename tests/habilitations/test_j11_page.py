"""J11 "Consulter mes services (habilitations)" (R-HAB-1): one row per dossier × service with
role, state, since and granted by; the ended ones of the last 90 days; the pending requests
with their deadline and their two actions."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Service
from core import clock
from dossiers.services.dossiers import open_dossier
from habilitations.models import AdhesionRequest, Habilitation, Role
from tests import companies
from tests.accounts import journey
from tests.factories import SpaceFactory
from tests.habilitations import steps

pytestmark = pytest.mark.django_db
URL = "/espace/services/habilitations"
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)  # 10h30 in Paris


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def space(now):
    return SpaceFactory(login_email="lila.rosemonde@exemple.fr")


@pytest.fixture
def logged(client, space):
    steps.enter(client, space)
    return client


def grant(space, siren, code, role=Role.TITULAIRE, granted_by=None, started_at=NOW, **extra) -> Habilitation:
    name = companies.KNOWN[siren].name if siren in companies.KNOWN else f"ENTREPRISE {siren}"
    dossier = open_dossier(siren=siren, name=name, now=started_at)
    return Habilitation.objects.create(
        space=space,
        dossier=dossier,
        service=Service.objects.get(code=code),
        role=role,
        granted_by=granted_by,
        started_at=started_at,
        **extra,
    )


def live_table(client) -> list[dict]:
    page = client.get(URL)
    assert page.status_code == 200
    return steps.table(page.content.decode(), "Mes habilitations")


def test_r_hab_1_gerer_mon_espace_links_to_the_page(logged):
    html = logged.get("/espace/gerer").content.decode()
    assert f'href="{URL}">Consulter mes services (habilitations)</a>' in html
    assert 'aria-disabled="true">Consulter mes services' not in html


def test_r_hab_1_for_a_logged_in_space_only(client, now):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.post(URL).status_code == 405


def test_r_hab_1_one_row_per_dossier_and_service_with_role_state_since_and_granted_by(logged, space, now):
    grantor = SpaceFactory(last_name="Dupont", first_name="Jean", subscriber_number="20260511112222")
    grant(space, companies.MARTIN, "payer_tva", started_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    grant(space, companies.MARTIN, "consulter_compte_fiscal", started_at=datetime(2026, 2, 28, 23, 30, tzinfo=UTC))
    grant(
        space,
        companies.DUPONT,
        "declarer_tva",
        role=Role.DELEGATAIRE,
        granted_by=grantor,
        ends_on=date(2027, 3, 1),
        started_at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
    )
    grant(SpaceFactory(), companies.SANS_SIEGE, "declarer_is")  # another space's: never shown

    rows = live_table(logged)
    assert rows == [
        {  # by dossier name (DUPONT before SARL MARTIN), then the catalogue's order
            "Dossier": "552 081 317 DUPONT ET FILS",
            "Service": "Déclarer › TVA",
            "Rôle": "Délégataire",
            "État": "Active jusqu'au 1er mars 2027",
            "Depuis": "1er novembre 2026",
            "Accordée par": "DUPONT Jean (abonné 20260511112222)",
        },
        {
            "Dossier": "732 829 320 SARL MARTIN DISTRIBUTION",
            "Service": "Consulter › Compte fiscal",
            "Rôle": "Titulaire",
            "État": "Active",
            "Depuis": "1er mars 2026",  # 23h30 UTC on 28 February is 1 March in Paris
            "Accordée par": "l'administration (courrier)",
        },
        {
            "Dossier": "732 829 320 SARL MARTIN DISTRIBUTION",
            "Service": "Payer › TVA",
            "Rôle": "Titulaire",
            "État": "Active",
            "Depuis": "1er mars 2026",
            "Accordée par": "l'administration (courrier)",
        },
    ]
    assert "SANS SIEGE" not in logged.get(URL).content.decode()


def test_r_hab_1_the_columns_read_as_labelled_lines_on_a_phone(logged, space):
    grant(space, companies.MARTIN, "payer_tva")
    html = logged.get(URL).content.decode()
    assert 'class="fr-table fr-table--multiline fr-table--no-caption espace-stacked espace-words"' in html
    for label in ("Dossier", "Service", "Rôle", "État", "Depuis", "Accordée par"):
        assert f'<th scope="col">{label}</th>' in html and f'data-label="{label}"' in html


def test_r_hab_1_ended_habilitations_of_the_last_90_days_in_their_own_table(logged, space, now):
    grant(space, companies.MARTIN, "payer_tva")
    grant(space, companies.MARTIN, "declarer_tva", ended_at=now - timedelta(days=89))
    grant(space, companies.MARTIN, "declarer_is", ended_at=now - timedelta(days=91))  # too old
    grant(space, companies.DUPONT, "payer_is", role=Role.DELEGATAIRE, ends_on=date(2026, 12, 2))  # yesterday
    grant(space, companies.DUPONT, "payer_ts", role=Role.DELEGATAIRE, ends_on=date(2026, 12, 3))  # today: live

    html = logged.get(URL).content.decode()
    live = steps.table(html, "Mes habilitations")
    assert [(row["Dossier"][:11], row["Service"], row["État"]) for row in live] == [
        ("552 081 317", "Payer › Taxe sur les salaires", "Active jusqu'au 3 décembre 2026"),
        ("732 829 320", "Payer › TVA", "Active"),
    ]
    ended = steps.table(html, "Habilitations terminées")
    assert [(row["Service"], row["État"]) for row in ended] == [
        ("Payer › Impôt sur les sociétés", "Arrivée à échéance le 2 décembre 2026"),
        ("Déclarer › TVA", f"Terminée le {clock.long_date(now - timedelta(days=89))}"),
    ]
    assert "Impôt sur les sociétés" not in "".join(row["Service"] for row in ended if row["Dossier"][:3] == "732")
    assert "ces 90 derniers jours" in html


def test_r_hab_1_no_ended_table_when_nothing_ended_and_a_sentence_when_nothing_is_held(logged):
    html = logged.get(URL).content.decode()
    assert "Votre espace ne détient aucune habilitation pour le moment." in html
    assert "Aucune demande d'adhésion en attente." in html
    assert "Habilitations terminées" not in html


def test_r_hab_1_paginated_bad_page_numbers_never_fail_and_the_other_table_keeps_its_page(logged, space, settings):
    settings.HABILITATIONS_PAGE_SIZE = 2
    for code in ("consulter_compte_fiscal", "consulter_avis_cfe", "declarer_tva", "declarer_is", "payer_tva"):
        grant(space, companies.MARTIN, code)
    first = logged.get(URL).content.decode()
    assert "Mes habilitations, page 1 sur 3" in first and 'href="?page=2"' in first
    kept = logged.get(URL, {"page": "2", "terminees": "4"}).content.decode()
    assert "Mes habilitations, page 2 sur 3" in kept
    assert 'href="?page=3&amp;terminees=4"' in kept and 'href="?page=1&amp;terminees=4"' in kept
    for bad in ("0", "-1", "abc", "9" * 40, "\x00", "<script>"):
        response = logged.get(URL, {"page": bad, "terminees": bad})
        assert response.status_code == 200, bad
        assert "<script>" not in response.content.decode().split("</header>")[-1]


def test_r_hab_1_as_few_queries_at_200_rows_as_at_2(logged, space, settings):
    settings.HABILITATIONS_PAGE_SIZE = 500
    services = list(Service.objects.all()[:20])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert logged.get(URL).status_code == 200
        return len(captured)

    grant(space, companies.MARTIN, services[0].code)
    grant(space, companies.DUPONT, services[1].code, role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    few = queries()
    for index in range(10):
        siren = f"{100000000 + index}"
        for service in services:
            grant(space, siren, service.code, role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    assert len(steps.table(logged.get(URL).content.decode(), "Mes habilitations")) == 202
    assert queries() == few


def test_r_hab_1_pending_requests_with_their_services_date_and_deadline(logged, space, now, spool, django_capture_on_commit_callbacks):
    steps.ask(django_capture_on_commit_callbacks, spool, space, services=["declarer_tva", "consulter_compte_fiscal"])
    html = logged.get(URL).content.decode()
    pending = html.split("Demandes en attente")[1]
    assert "SARL MARTIN DISTRIBUTION (SIREN" in pending and "732 829 320" in pending
    assert "Demande du 3 décembre 2026, services demandés :" in pending
    assert pending.index("Consulter › Compte fiscal") < pending.index("Déclarer › TVA")  # catalogue order
    assert "Code valable jusqu'au 1er février 2027." in pending  # 60 days (R-ADH-2)
    made = AdhesionRequest.objects.get()
    assert f'action="/espace/services/demandes/{made.pk}/annuler"' in pending
    assert f'action="/espace/services/demandes/{made.pk}/renvoyer"' in pending
    assert "Le courrier ne peut être renvoyé qu'une fois" in pending and "valable 60 jours" in pending
    assert 'name="csrfmiddlewaretoken"' in pending


def test_r_hab_1_expired_cancelled_activated_and_other_spaces_requests_are_not_pending(
    logged, space, now, spool, django_capture_on_commit_callbacks, time_machine
):
    expired, _ = steps.ask(django_capture_on_commit_callbacks, spool, space, siren=companies.DUPONT)
    time_machine.move_to(now + timedelta(days=1), tick=False)
    steps.ask(django_capture_on_commit_callbacks, spool, SpaceFactory(), services=["payer_is"])
    kept, _ = steps.ask(django_capture_on_commit_callbacks, spool, space, services=["declarer_is"])
    AdhesionRequest.objects.filter(pk=expired.pk).update(expires_at=now + timedelta(hours=1))
    steps.enter(logged, space)  # a day later: a new session
    html = logged.get(URL).content.decode()
    pending = html.split("Demandes en attente")[1]
    assert f"/demandes/{kept.pk}/annuler" in pending
    assert f"/demandes/{expired.pk}/" not in pending and "DUPONT" not in pending
    assert "Payer › Impôt sur les sociétés" not in pending  # the other space's
    for state in (AdhesionRequest.State.CANCELLED, AdhesionRequest.State.ACTIVATED):
        AdhesionRequest.objects.filter(pk=kept.pk).update(state=state)
        assert "Aucune demande d'adhésion en attente." in logged.get(URL).content.decode()


def test_r_hab_1_a_real_login_reaches_the_page(client, space):
    assert journey.login(client, space.login_email).status_code == 302
    page = client.get(URL)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "<h1>Consulter mes services (habilitations)</h1>" in page.content.decode()
