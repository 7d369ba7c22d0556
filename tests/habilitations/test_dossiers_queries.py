"""R-HOME-1 "as fast at 1,000 dossiers as at 1": the home and the list of dossiers run the same
number of queries with 1 dossier and with 50 (no N+1), whatever the services held on each.
bench/home_bench.py measures the time at 1 and 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Service
from tests.factories import SpaceFactory
from tests.habilitations import holdings as steps

pytestmark = pytest.mark.django_db



def queries(client, path: str, **params) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def signed_in_with(client, count: int, codes) -> str:
    """A space holding count dossiers with the services of codes, its first dossier chosen."""
    space = SpaceFactory()
    made = steps.many_dossiers(space, count, codes, first=count * 10_000)
    steps.sign_in(client, space)
    if count > 1:
        assert client.post("/espace/dossiers/choisir", {"siren": made[0].siren}).status_code == 302
    return made[0].siren


@pytest.mark.parametrize("path", ["/espace", "/espace/dossiers"])
def test_r_home_1_the_same_queries_with_1_and_50_dossiers(client, path):
    every = list(Service.objects.values_list("code", flat=True))
    signed_in_with(client, 1, steps.SERVICES)
    one = queries(client, path)
    client.logout()
    signed_in_with(client, 50, every)  # and every service of the catalogue on each
    fifty = queries(client, path)
    assert len(one) == len(fifty), "\n".join(fifty)
    assert len(fifty) <= 6, "\n".join(fifty)  # the session, the space, what the page shows


def test_r_home_1_the_home_shows_50_dossiers_current_services_in_the_same_queries(client):
    every = list(Service.objects.values_list("code", flat=True))
    siren = signed_in_with(client, 50, every)
    page = client.get("/espace").content.decode()
    assert f"SIREN {siren}" in page and page.count(f"/espace/dossiers/{siren}/services/") == len(every)


def test_r_home_1_a_search_and_a_later_page_cost_the_same(client, settings):
    settings.DOSSIERS_PAGE_SIZE = 5
    signed_in_with(client, 50, steps.SERVICES)
    first = queries(client, "/espace/dossiers")
    assert len(queries(client, "/espace/dossiers", q="ENTREPRISE", page="3")) == len(first)
