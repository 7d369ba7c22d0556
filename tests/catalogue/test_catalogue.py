"""R-CAT-1: the catalogue is guide 001's home list (screen 2), with stable codes; its selectors."""

import re
from pathlib import Path

import pytest

from catalogue import selectors
from catalogue.models import Family, Service

pytestmark = pytest.mark.django_db

GUIDE_001 = next(Path("/work/shared/seeds").glob("001_*.txt"), None)
ITEM = re.compile(r"^- > (?P<label>.+?)(?: \[\+\])?$")

# The codes as they were first loaded, in catalogue order. Habilitations, requests and
# SERVICE_URLS name services by these: a code is never renamed nor reused, so a change here
# is a migration of every reference to it, not an edit of this list.
FROZEN_CODES = [
    "consulter_compte_fiscal",
    "consulter_avis_cfe",
    "declarer_tva",
    "declarer_is",
    "declarer_ts",
    "declarer_cvae",
    "declarer_rcm",
    "declarer_tgap",
    "declarer_tic",
    "declarer_tvvi",
    "declarer_taxe_sejour",
    "declarer_tsca",
    "declarer_resultat",
    "declarer_sci",
    "declarer_tiers",
    "declarer_dac6",
    "declarer_cesop",
    "payer_tva",
    "payer_is",
    "payer_ts",
    "payer_cvae",
    "payer_rcm",
    "payer_tgap",
    "payer_tic",
    "payer_ci",
    "payer_tvvi",
    "payer_tsca",
    "payer_pas",
    "payer_cfe",
    "payer_dette",
    "demarches_remboursement_tva_ue",
    "demarches_guichet_tva_ue",
    "demarches_biens_immobiliers",
    "demarches_cession_droits",
    "demarches_successions_vacantes",
    "messagerie",
]
FROZEN_FAMILIES = ["consulter", "declarer", "payer", "demarches", "messagerie"]


def guide_home_list() -> list[tuple[str, list[str]]]:
    """Return guide 001's screen 2 home list: [(family, [labels])], the Messagerie block last.

    The services are the lines after "MES SERVICES" up to "MON ESPACE" (a family name, then
    its "- > Label [+]" lines); the Messagerie block comes later on the screen, after "MES
    AUTRES SERVICES", up to the end of its items.
    """
    if GUIDE_001 is None:
        pytest.fail("guide 001 introuvable dans /work/shared/seeds")
    lines = [line.strip() for line in GUIDE_001.read_text(encoding="utf-8").splitlines()]
    start = lines.index("MES SERVICES")  # screen 2 (one company) comes before screen 3
    end = lines.index("MON ESPACE", start)
    families = _blocks(lines[start + 1 : end])
    messagerie = lines.index("Messagerie", end)
    block = []
    for line in lines[messagerie + 1 :]:
        if line.startswith("- >"):
            block.append(line)
        elif block:
            break
    return families + _blocks(["Messagerie", *block])


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    blocks: list[tuple[str, list[str]]] = []
    for line in filter(None, lines):
        item = ITEM.match(line)
        if item:
            blocks[-1][1].append(item.group("label"))
        else:
            blocks.append((line, []))
    return blocks


def catalogue_list() -> list[tuple[str, list[str]]]:
    return [(group.family.label, [service.label for service in group.services]) for group in selectors.by_family()]


def test_r_cat_1_guide_parsed_as_five_families():
    guide = guide_home_list()
    assert [family for family, _ in guide] == ["Consulter", "Déclarer", "Payer", "Démarches", "Messagerie"]
    assert guide[0] == ("Consulter", ["Compte fiscal", "Avis CFE"])
    assert len(guide[1][1]) == 15 and len(guide[2][1]) == 13 and len(guide[3][1]) == 5


def test_r_cat_1_catalogue_is_guide_001_home_list_in_order():
    guide = guide_home_list()
    catalogue = catalogue_list()
    assert [family for family, _ in catalogue] == [family for family, _ in guide]
    # Every family but Messagerie: the same labels, in the same order (" [+]" stripped).
    assert catalogue[:-1] == guide[:-1]


def test_r_cat_1_messagerie_is_one_service_not_the_guide_links():
    """Guide 001's Messagerie block holds links about the company's email, not services: one service."""
    family, links = guide_home_list()[-1]
    assert family == "Messagerie"
    assert links == ["Adresse électronique de l'entreprise", "En savoir plus"]
    [service] = Service.objects.filter(family__code="messagerie")
    assert (service.code, service.label, service.family.label) == ("messagerie", "Messagerie", "Messagerie")
    assert catalogue_list()[-1] == ("Messagerie", ["Messagerie"])


def test_r_cat_1_codes_unique_and_stable():
    codes = list(Service.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert codes == FROZEN_CODES  # renaming, reordering or dropping a code fails here
    assert list(Family.objects.values_list("code", flat=True)) == FROZEN_FAMILIES


def test_r_cat_1_is_payment_exactly_the_payer_family():
    payer = set(Service.objects.filter(family__code="payer").values_list("code", flat=True))
    assert len(payer) == 13
    assert set(Service.objects.filter(is_payment=True).values_list("code", flat=True)) == payer


def test_r_cat_1_str_names_family_and_service():
    service = Service.objects.get(code="payer_tva")
    assert str(service) == "Payer › TVA" and str(service.family) == "Payer"


def test_by_family_none_is_the_whole_catalogue_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        groups = selectors.by_family()
        codes = [service.code for group in groups for service in group.services]
    assert codes == FROZEN_CODES
    assert [group.family.code for group in groups] == FROZEN_FAMILIES


def test_by_family_a_subset_keeps_guide_order_and_drops_empty_families():
    shuffled = list(Service.objects.filter(code__in=["payer_tva", "messagerie", "declarer_cesop", "declarer_tva"]).order_by("-code"))
    groups = selectors.by_family(shuffled)
    assert [(group.family.code, [s.code for s in group.services]) for group in groups] == [
        ("declarer", ["declarer_tva", "declarer_cesop"]),
        ("payer", ["payer_tva"]),
        ("messagerie", ["messagerie"]),
    ]
    assert selectors.by_family([]) == []


def test_services_by_codes_in_catalogue_order_unknown_left_out():
    found = selectors.services(["payer_tva", "inconnu", "consulter_avis_cfe", "", "payer_tva"])
    assert [service.code for service in found] == ["consulter_avis_cfe", "payer_tva"]
    assert selectors.services(code for code in ["inconnu"]) == []


def test_service_by_code():
    assert selectors.service("declarer_tva").label == "TVA"
    assert selectors.service("inconnu") is None


def test_r_cat_1_application_url_only_when_service_urls_names_it(settings):
    tva = selectors.service("declarer_tva")
    settings.SERVICE_URLS = {}
    assert selectors.application_url(tva) is None
    settings.SERVICE_URLS = {"declarer_tva": "https://tva.exemple.fr/declarer", "payer_tva": "https://p.exemple.fr"}
    assert selectors.application_url(tva) == "https://tva.exemple.fr/declarer"
    assert selectors.application_url(selectors.service("declarer_is")) is None
