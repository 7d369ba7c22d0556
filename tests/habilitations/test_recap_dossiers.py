"""Issue 14 item 10: the récapitulatif (R-PDF-1) lists the dossiers and the roles held, read back
from the PDF the space downloads (pypdf); it stays one page whatever the space holds."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from accounts.services import spaces
from catalogue.models import Service
from core import clock
from dossiers.services.dossiers import open_dossier
from habilitations import selectors
from habilitations.models import Habilitation, Role
from tests import companies
from tests.factories import SpaceFactory
from tests.habilitations import steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)


@pytest.fixture
def space(time_machine):
    time_machine.move_to(NOW, tick=False)
    return SpaceFactory()


def grant(space, siren, codes, role=Role.TITULAIRE, name=None, **extra):
    dossier = open_dossier(siren=siren, name=name or companies.KNOWN[siren].name, now=NOW)
    for code in codes:
        Habilitation.objects.create(
            space=space, dossier=dossier, service=Service.objects.get(code=code), role=role, started_at=NOW, **extra
        )


def recap_text(client, space) -> tuple[str, int]:
    """Download the space's recap; return its text (wrapped lines joined) and its number of pages."""
    steps.enter(client, space)
    response = client.get("/espace/recapitulatif.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), len(reader.pages)


def test_recap_lists_each_dossier_with_its_roles_and_services(client, space):
    grant(space, companies.MARTIN, ["consulter_compte_fiscal", "consulter_avis_cfe", "declarer_tva", "payer_tva"])
    grant(space, companies.DUPONT, ["declarer_is"], role=Role.DELEGATAIRE, granted_by=SpaceFactory())
    grant(space, companies.DUPONT, ["payer_is"], ended_at=NOW - timedelta(days=1))  # ended: not held
    grant(SpaceFactory(), companies.SANS_SIEGE, ["payer_tva"], name="AUTRE ENTREPRISE")  # another space's

    text, pages = recap_text(client, space)
    assert pages == 1
    assert "Dossiers et habilitations" in text
    assert (
        "552 081 317 DUPONT ET FILS Délégataire (1 service) : Déclarer (Impôt sur les sociétés)" in text
    )  # by name: DUPONT first
    assert (
        "732 829 320 SARL MARTIN DISTRIBUTION Titulaire (4 services) : Consulter (tous), Déclarer (TVA), Payer (TVA)"
        in text
    )
    assert text.index("552 081 317 DUPONT") < text.index("732 829 320 SARL MARTIN DISTRIBUTION Titulaire")
    assert "Payer (Impôt sur les sociétés)" not in text and "AUTRE ENTREPRISE" not in text
    assert "autres dossiers" not in text


def test_recap_of_a_space_holding_nothing_has_no_dossiers_section(client, space):
    text, pages = recap_text(client, space)
    assert pages == 1 and "Dossiers et habilitations" not in text


def test_recap_stays_one_page_names_the_first_dossiers_and_counts_the_others(client, space, settings):
    every = list(Service.objects.values_list("code", flat=True))
    for index in range(12):
        siren = f"{200000000 + index}"
        grant(space, siren, every, name=f"ENTREPRISE NUMERO {index:02d} AU NOM ASSEZ LONG")
        # Déclarer but its first service: too long a line to name them, counted
        grant(space, siren, every[3:17], role=Role.DELEGATAIRE, name=f"ENTREPRISE NUMERO {index:02d} AU NOM ASSEZ LONG")
    text, pages = recap_text(client, space)
    assert pages == 1
    shown = settings.RECAP_DOSSIERS_SHOWN
    for index in range(shown):
        assert f"ENTREPRISE NUMERO {index:02d}" in text
    assert f"ENTREPRISE NUMERO {shown:02d}" not in text
    assert f"… et {12 - shown} autres dossiers : la liste complète est dans votre espace" in text
    total = len(every)
    assert (
        f"Titulaire ({total} services) : Consulter (tous), Déclarer (tous), Payer (tous), Démarches (tous), "
        "Messagerie (tous)" in text
    )
    assert "Délégataire (14 services) : Déclarer (14)" in text
    assert "Votre espace professionnel : document créé le 03/12/2026 à 10h30mn00s" in text


def test_recap_one_other_dossier_is_said_in_the_singular(space, settings):
    settings.RECAP_DOSSIERS_SHOWN = 1
    grant(space, companies.MARTIN, ["payer_tva"])
    grant(space, companies.DUPONT, ["payer_tva"])
    data = spaces.recap_data(space, clock.now())
    assert [dossier.name for dossier in data.dossiers] == ["DUPONT ET FILS"] and data.other_dossiers == 1
    from recapitulatif import render

    text = " ".join(PdfReader(io.BytesIO(render(data))).pages[0].extract_text().split())
    assert "… et 1 autre dossier : la liste complète" in text


def test_holdings_read_in_three_queries_whatever_the_number_of_dossiers(space, django_assert_num_queries):
    for index in range(30):
        grant(space, f"{300000000 + index}", ["payer_tva", "declarer_tva"], name=f"E{index:02d}")
    with django_assert_num_queries(4):  # the count, the dossiers, their habilitations, the families' sizes
        held = selectors.holdings(space, limit=10)
    assert held.total == 30 and [dossier.name for dossier in held.dossiers] == [f"E{index:02d}" for index in range(10)]
    [role] = held.dossiers[0].roles
    assert (role.role, role.count) == ("Titulaire", 2)
    assert [(family.family, family.services, family.whole) for family in role.families] == [
        ("Déclarer", ["TVA"], False),
        ("Payer", ["TVA"], False),
    ]


def test_holding_line_names_services_while_short_and_counts_them_beyond():
    short = selectors.RoleHeld(
        role="Titulaire", count=1, families=[selectors.FamilyHeld(family="Payer", services=["TVA"], whole=False)]
    )
    assert spaces.holding_line(short) == "Titulaire (1 service) : Payer (TVA)"
    many = [f"Service au libellé numéro {index}" for index in range(8)]
    long = selectors.RoleHeld(
        role="Délégataire",
        count=10,
        families=[
            selectors.FamilyHeld(family="Déclarer", services=many, whole=False),
            selectors.FamilyHeld(family="Consulter", services=["Compte fiscal", "Avis CFE"], whole=True),
        ],
    )
    assert spaces.holding_line(long) == "Délégataire (10 services) : Déclarer (8), Consulter (tous)"
