"""R-HAB-2, issue 15 item 4: the policy matrix, generated from tests/habilitations/matrix.py.

States (matrix.STATES: what a space X is towards dossier D) × doors (matrix.DOORS: every URL
name of the namespaces habilitations and entreprise, and espace's home, recap PDF and
security history) × methods (GET, POST). With 15 states, 37 doors and 2 methods that is
1,110 cells, plus one row of policy-level checks per state; the size is computed and
``test_r_hab_2_the_matrix_does_not_shrink`` notices a shrinking table.

A cell allowed by the state's capabilities answers 200 or 302 (a POST may also refuse its
empty form: 400 or 200, only never 404); a forbidden one answers 404 (405 for a method the
view does not take, the other method then 404) and its body names neither D (SIREN in any
format, name) nor any other space of the world (subscriber number, last name). A page
without an id shows D, or not, as the state's capabilities say.

Each state's world is built once (module-scoped, in a transaction rolled back after its
cells); each cell runs in its own savepoint, so that an allowed POST changes nothing for the
next one.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from habilitations import policy
from tests.habilitations import idor, matrix
from tests.habilitations.holdings import sign_in

pytestmark = pytest.mark.django_db

FLOOR = 1000  # cells: shrink the tables below this and the matrix says so
ALLOWED_GET = {200, 302}
ALLOWED_POST = {200, 302, 400}  # an action reached with an empty or refused form


def walked() -> dict[str, idor.Route]:
    """Return the routes the matrix must cover, by URL name: the namespaces walked, and espace's dossier pages."""
    found = {route.name: route for route in idor.routes(matrix.NAMESPACES)}
    espace = {route.name: route for route in idor.routes(("espace",))}
    found.update({name: espace[name] for name in matrix.ESPACE_DOORS if name in espace})
    return found


def pytest_generate_tests(metafunc):
    if "world" in metafunc.fixturenames:
        names = [state.name for state in matrix.STATES]
        metafunc.parametrize("world", names, ids=names, indirect=True, scope="module")
    if "door" in metafunc.fixturenames:
        metafunc.parametrize("door", list(matrix.DOORS), ids=list(matrix.DOORS))
    if "method" in metafunc.fixturenames:
        metafunc.parametrize("method", matrix.METHODS, ids=matrix.METHODS)


@pytest.fixture(scope="module")
def world(request, django_db_setup, django_db_blocker):
    """The world of one state, built once for all its cells and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield matrix.build(matrix.BY_NAME[request.param])
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _letters(spool):
    """An allowed "Renvoyer le courrier" writes its letter under the test's spool."""


# The tables: every door is a URL, every URL a door, and the matrix keeps its size.

def test_r_hab_2_every_url_of_the_walked_namespaces_has_a_door():
    missing = sorted(set(walked()) - set(matrix.DOORS))
    assert missing == [], f"URL sans entrée dans matrix.DOORS (tests/habilitations/matrix.py) : {missing}"


def test_r_hab_2_every_door_is_a_url():
    unknown = sorted(set(matrix.DOORS) - set(walked()))
    assert unknown == [], f"entrées de matrix.DOORS sans URL : {unknown}"


def test_r_hab_2_the_espace_pages_walked_exist():
    assert set(matrix.ESPACE_DOORS) <= set(walked())


def test_r_hab_2_the_matrix_does_not_shrink():
    cells = len(matrix.STATES) * len(matrix.DOORS) * len(matrix.METHODS)
    assert cells >= FLOOR, f"{len(matrix.STATES)} états × {len(matrix.DOORS)} portes × {len(matrix.METHODS)} = {cells}"
    # Every state and every capability is tried: none is allowed everywhere or nowhere.
    assert len({state.name for state in matrix.STATES}) == len(matrix.STATES)
    for capability in matrix.CAPABILITIES:
        values = {getattr(matrix.capabilities(state), capability) for state in matrix.STATES}
        assert values == {True, False}, capability


def test_r_hab_2_every_door_s_parameters_are_filled(world):
    for name, route in walked().items():
        kwargs = matrix.fill(name, route.params, world)
        assert reverse(name, kwargs=kwargs)


def test_r_hab_2_a_parameter_the_matrix_does_not_know_fails(world):
    with pytest.raises(matrix.Unfillable, match="<dossier_id>"):
        matrix.fill("habilitations:service", ("siren", "dossier_id"), world)
    with pytest.raises(matrix.Unfillable, match="<pk>"):
        matrix.fill("habilitations:service", ("pk",), world)  # a pk the door does not say the kind of


# The policy module, state by state.

def test_r_hab_2_policy_of_each_state(world):
    caps, space, siren = world.caps, world.space, world.dossier.siren
    allowed = policy.access(space, siren)
    assert (allowed is not None) is caps.uses
    assert policy.live_habilitations(space).exists() is caps.uses
    assert (world.dossier in policy.dossiers(space)) is caps.uses
    if allowed is not None:
        assert allowed.roles == {code: caps.role for code in caps.held}
    assert policy.may_designate_suppleants(allowed) is caps.titulaire
    assert policy.may_delegate(allowed) is caps.manages
    assert policy.may_manage_company_email(allowed) is caps.manages
    assert policy.may_manage_bank_accounts(allowed) is caps.bank
    suppleance, delegation, request = (world.objects[kind].pk for kind in ("suppleance", "delegation", "request"))
    assert (policy.suppleance(allowed, suppleance) is not None) is caps.titulaire
    assert (policy.delegation_given(allowed, delegation) is not None) is caps.manages
    assert (policy.delegation_received(space, delegation) is not None) is caps.receives
    assert (policy.own_request(space, request) is not None) is caps.requester
    # Ids that are not numbers are nobody's, even for the one who may.
    assert policy.suppleance(allowed, "1 OR 1=1") is None and policy.delegation_given(allowed, None) is None
    assert policy.delegation_received(space, "x") is None


def test_r_hab_2_the_world_s_objects_are_real(world):
    """The objects the doors are asked about are live ones of D: the 404s above refuse something real."""
    siren = world.dossier.siren
    titled = policy.access(world.titulaire, siren)
    assert titled is not None and titled.is_titulaire
    delegation = world.objects["delegation"]
    assert policy.delegation_given(titled, delegation.pk) == delegation
    assert policy.delegation_received(delegation.delegate, delegation.pk) == delegation
    suppleance = world.objects["suppleance"]
    designated = policy.suppleance(titled, suppleance.pk)
    assert designated == (None if suppleance.ended_at else suppleance)
    assert policy.own_request(world.objects["request"].space, world.objects["request"].pk) is not None


# The doors.

def send(client, method: str, url: str, door: matrix.Door, world):
    data = door.data(world) if door.data else {}
    return client.get(url) if method == "GET" else client.post(url, data)


def body(response, door: matrix.Door) -> str:
    if door.pdf and response.status_code == 200 and response["Content-Type"].startswith("application/pdf"):
        return matrix.pdf_text(response.content)
    return response.content.decode(errors="replace")


def test_r_hab_2_matrix_cell(world, door, method):
    routes = walked()
    assert door in routes, f"{door} : pas d'URL de ce nom (contrat de tests/habilitations/matrix.py DOORS)"
    entry, caps = matrix.DOORS[door], world.caps
    url = reverse(door, kwargs=matrix.fill(door, routes[door].params, world))
    client = Client(raise_request_exception=False, enforce_csrf_checks=False)
    sign_in(client, world.space)
    response = send(client, method, url, entry, world)
    status = response.status_code
    allowed = entry.allowed(caps)
    expected = (ALLOWED_GET if method == "GET" else ALLOWED_POST) if allowed else {404}
    texts = [body(response, entry)]
    if status == 405:  # a method the view does not take: the other one must answer as the cell says
        other = "POST" if method == "GET" else "GET"
        answer = send(client, other, url, entry, world)
        expected_other = (ALLOWED_GET if other == "GET" else ALLOWED_POST) if allowed else {404}
        assert answer.status_code in expected_other, (
            f"{world.state.name} {method} {url} : 405, {other} {answer.status_code} (attendu {sorted(expected_other)})"
        )
        texts.append(body(answer, entry))
    else:
        assert status in expected, f"{world.state.name} {method} {url} : {status} (attendu {sorted(expected)})"
    if not allowed:
        for text in texts:
            assert matrix.leaks(text, world) == [], "une page refusée nomme D ou un autre espace"
        return
    text = texts[0]
    shows = entry.shows(caps) if entry.shows else None
    if shows is False:
        assert matrix.leaks(text, world) == [], "D (ou un autre espace) sur une page où il n'a rien à faire"
    elif shows is True and method == "GET" and status == 200:
        assert matrix.appears(text, world), "D absent d'une page qui doit le montrer"
