"""SPEC §4 "CSRF on every form": every URL of the product refuses a POST without a CSRF token.

The URLs come from the URL configuration itself (get_resolver, through every include), with
DEBUG's development URLs too, never from a list kept by hand: a view added tomorrow is checked
the day it is mounted. Each is posted to without a token — by a browser that never had the
CSRF cookie, and by one that has it — and must answer the CSRF refusal (403, the French
"Session expirée" page, before the view runs), or 405 when the view takes no POST at all.
A `@csrf_exempt` on any view that takes POST fails here.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

pytestmark = pytest.mark.django_db

URLCONFS = ["config.urls", "tests.parts.urls_debug"]  # production's, and DEBUG's extra mailbox and letters
# A plausible value for each path converter in use; a new converter needs its own here.
SAMPLES = {
    "str": "essai",
    "slug": "essai",
    "int": "1",
    "path": "essai/essai",
    "uuid": "00000000-0000-4000-8000-000000000000",
}
CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
CSRF_PAGE = "Session expirée"


def routes(resolver: URLResolver, prefix: str = ""):
    """Yield (path pattern, URLPattern) for every URL under resolver, through its includes."""
    for entry in resolver.url_patterns:
        assert isinstance(entry.pattern, RoutePattern), f"{entry!r} : motif à remplir à la main ici"
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        else:
            assert isinstance(entry, URLPattern)
            yield route, entry


def filled(route: str) -> str:
    """Return the path of route, each converter filled with a plausible value."""
    return "/" + CONVERTER.sub(lambda match: SAMPLES[match["converter"] or "str"], route)


def every_url(urlconf: str) -> list[tuple[str, URLPattern]]:
    found = []
    for route, pattern in routes(get_resolver(urlconf)):
        path = filled(route)
        assert resolve(path, urlconf).func == pattern.callback, f"{path} ne mène pas à {pattern!r}"
        found.append((path, pattern))
    return found


def refused_for_csrf(response) -> bool:
    return response.status_code == 403 and CSRF_PAGE in response.content.decode()


@pytest.mark.parametrize("urlconf", URLCONFS)
@pytest.mark.parametrize("browser", ["without the CSRF cookie", "with the CSRF cookie"])
def test_spec_4_every_url_refuses_a_post_without_csrf_token(settings, urlconf, browser):
    settings.ROOT_URLCONF = urlconf
    client = Client(enforce_csrf_checks=True)
    if browser == "with the CSRF cookie":
        client.get("/")  # the login page's form sets it
        assert client.cookies[settings.CSRF_COOKIE_NAME].value
    answers = {path: client.post(path, {"email": "lila@exemple.fr"}) for path, _ in every_url(urlconf)}
    accepted = {path: response.status_code for path, response in answers.items() if not refused_for_csrf(response)}
    # 405: the view takes no POST, so nothing was done (and the CSRF check ran first anyway).
    unguarded = {path: status for path, status in accepted.items() if status != 405}
    assert unguarded == {}, f"POST sans jeton CSRF non refusé (csrf_exempt ?) : {unguarded}"
    refused = {path for path, response in answers.items() if refused_for_csrf(response)}
    assert {"/", "/deconnexion", "/activation", "/espace/identifiants", "/captcha/essai/prolonger"} <= refused


def test_the_walk_reaches_every_mounted_view():
    """The walk goes through the includes: J1-J8, J2's entry, the captcha, and the mailbox and the
    letters in DEBUG."""
    paths = {path for path, _ in every_url("tests.parts.urls_debug")}
    assert {"/", "/creation/identifiants", "/activation", "/captcha/essai/image.png", "/sante"} <= paths
    assert {"/dev/courriels/", "/dev/courriels/1", "/dev/courriers/", "/dev/courriers/essai.pdf"} <= paths
    assert len(paths) == len(every_url("config.urls")) + 4

