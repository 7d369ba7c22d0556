"""R-HAB-2: another space's dossier, service or request is never shown, whatever id is typed (404).

The walker (tests/habilitations/idor.py) asks every URL of the habilitations namespace that
takes an id with space B's real ids, as space A; its self-test proves it catches a leak,
passes guarded pages and refuses a URL it cannot fill.
"""

import pytest
from django.test import Client

from tests.accounts import journey
from tests.factories import SpaceFactory
from tests.habilitations import idor
from tests.habilitations.urls_idor import GUARDED, LEAKY, UNKNOWN, WRITES, urlconf

pytestmark = pytest.mark.django_db
J9 = {"habilitations:adhesion", "habilitations:adhesion_recap", "habilitations:adhesion_sent"}


@pytest.fixture(autouse=True)
def spool(settings, tmp_path):
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"


def logged_in(email):
    client = Client(raise_request_exception=False)  # a 500 is an answer the walker reports
    space = SpaceFactory(login_email=email)
    assert journey.login(client, email).status_code == 302
    return client, space


@pytest.fixture
def spaces():
    """(A's client, B's client, the world: A, B and B's real rows)."""
    client, mine = logged_in("lila.rosemonde@exemple.fr")
    owner_client, theirs = logged_in("autre.espace@exemple.fr")
    return client, owner_client, idor.build_world(mine, theirs)


def test_r_hab_2_every_habilitations_url_with_an_id_is_404_for_another_space(spaces):
    client, owner_client, world = spaces
    found = idor.routes()
    # The walk reaches the namespace: J9's pages are there (no id, nothing to fill).
    assert J9 <= {route.name for route in found}
    assert all(name.startswith(("habilitations:", "entreprise:")) for name in (route.name for route in found))
    walked = idor.walk(client, world, found, owner_client=owner_client)
    assert walked.problems == []
    assert sorted(walked.checked) == sorted(route.name for route in idor.with_ids(found))


def essai_routes():
    """The self-test's own pages: the real ones are walked by the test above."""
    return [route for route in idor.routes() if "essai" in route.name]


# The walker's self-test: a site with test pages in the habilitations namespace.

def test_idor_walker_passes_pages_that_ask_the_policy(spaces, settings):
    settings.ROOT_URLCONF = urlconf("guarded", *GUARDED)
    client, owner_client, world = spaces
    found = essai_routes()
    assert {route.name for route in idor.with_ids(found)} == {"habilitations:essai_service", "habilitations:essai_cancel"}
    walked = idor.walk(client, world, found)
    assert walked.problems == [] and sorted(walked.checked) == ["habilitations:essai_cancel", "habilitations:essai_service"]
    # Its values are B's real ones: B itself is not refused (GET; the cancel page takes POST only).
    [service] = [route for route in found if route.name == "habilitations:essai_service"]
    assert owner_client.get(idor.fill(service, world)).status_code == 200
    assert idor.walk(client, world, found, owner_client=owner_client).problems == []


def test_idor_walker_catches_a_page_that_writes_before_its_404(spaces, settings):
    settings.ROOT_URLCONF = urlconf("writes", *WRITES)
    client, _owner_client, world = spaces
    walked = idor.walk(client, world, essai_routes())
    url = f"/essai/demandes/{world.their_request.pk}/oublier"
    assert walked.problems == [f"habilitations:essai_oublier {url} : les données de l'autre espace ont changé"]


def test_idor_walker_says_when_a_value_is_not_the_owner_s(spaces, settings):
    """A filler giving a value nobody holds would make every 404 trivial: the owner's own GET tells."""
    settings.ROOT_URLCONF = urlconf("guarded", *GUARDED)
    client, owner_client, world = spaces
    wrong = {**idor.FILL, "siren": lambda w: "123456782"}
    walked = idor.walk(client, world, essai_routes(), owner_client=owner_client, fillers=wrong)
    assert walked.problems == [
        "habilitations:essai_service /essai/dossiers/123456782/services/declarer_tva : 404 pour son propriétaire aussi (valeur de FILL fausse ?)"
    ]


def test_idor_walker_catches_a_page_that_does_not_ask_the_policy(spaces, settings):
    settings.ROOT_URLCONF = urlconf("leaky", *GUARDED, *LEAKY)
    client, owner_client, world = spaces
    found = essai_routes()
    leak = [route for route in found if route.name == "habilitations:essai_fuite"]
    assert [(route.route, route.params) for route in leak] == [("essai/fuite/<str:siren>", ("siren",))]  # found in a nested include
    walked = idor.walk(client, world, found, owner_client=owner_client)
    assert walked.problems == [f"habilitations:essai_fuite /essai/fuite/{world.their_dossier.siren} : GET 200, POST 200 pour un autre espace (404 attendu)"]


def test_idor_walker_refuses_a_parameter_it_cannot_fill(spaces, settings):
    settings.ROOT_URLCONF = urlconf("unknown", *GUARDED, *UNKNOWN)
    client, _owner_client, world = spaces
    with pytest.raises(idor.Unfillable, match=r"habilitations:essai_widget .* <widget> n'est pas connu du walker IDOR"):
        idor.walk(client, world, essai_routes())


def test_idor_walker_fill_by_url_name_wins_over_the_parameter(spaces):
    _client, _owner, world = spaces
    route = idor.Route(name="habilitations:essai", route="a/<int:pk>/b/<pk2>", params=("pk", "pk2"))
    fillers = {"pk": lambda w: 1, "habilitations:essai:pk": lambda w: 2, "pk2": lambda w: "x"}
    assert idor.fill(route, world, fillers) == "/a/2/b/x"


@pytest.mark.parametrize(
    ("statuses", "wrong"),
    [
        ({"get": 404, "post": 404}, None),
        ({"get": 405, "post": 404}, None),
        ({"get": 404, "post": 405}, None),
        ({"get": 405, "post": 405}, "GET 405, POST 405"),
        ({"get": 200, "post": 404}, "GET 200, POST 404"),
        ({"get": 302, "post": 404}, "GET 302, POST 404"),
        ({"get": 404, "post": 500}, "GET 404, POST 500"),
        ({"get": 403, "post": 403}, "GET 403, POST 403"),
    ],
)
def test_idor_walker_verdicts(statuses, wrong):
    assert idor.verdict(statuses) == wrong


def test_idor_walker_refuses_a_re_path_with_groups(settings):
    import types

    from django.urls import include, path, re_path

    module = types.ModuleType("regex_site")
    module.urlpatterns = [path("", include(([re_path(r"^x/(?P<siren>\d+)$", lambda r, siren: None)], "habilitations")))]
    settings.ROOT_URLCONF = module
    with pytest.raises(idor.Unfillable, match="re_path"):
        essai_routes()
