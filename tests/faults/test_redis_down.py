"""Issue 18 §4 "Redis down": what the product does when the Redis of REDIS_URL is unreachable
or mute (docs/decisions.md, "Issue 18: faults").

Sessions, rate-limit counters and ceilings live in Redis when REDIS_URL is set. Without them
no secret check can be counted, so none runs: every request that needs Redis is answered with
the French 503 page "Service momentanément indisponible, réessayez dans quelques minutes."
(core.views.errors.service_unavailable), the password hasher is never reached, no code is
consumed or mailed (fail closed). Pages that need no Redis still render for a visitor
without a session. Against real dead servers: a closed port, and a redis-server of the
test's own killed with SIGKILL or paused with SIGSTOP mid-run (never the machine's Redis).
"""

import threading
import time

import pytest
from django.test import Client

from accounts.hashers import Argon2idHasher
from antirobot.testing import captcha_post_data
from codes.models import PendingRequest
from codes.process import CodeProcess
from core import guard, throttle
from core.views.errors import shared_store_down
from mailer.models import OutboxEmail
from tests.accounts import journey, recovery_steps
from tests.factories import SpaceFactory
from tests.faults.redis_server import OwnRedis, closed_port_url, use_redis

pytestmark = pytest.mark.django_db
UNAVAILABLE = "Service momentanément indisponible, réessayez dans quelques minutes."
ENGLISH = ("Traceback", "Internal Server Error", "Server Error", "Service Unavailable", "Exception")


@pytest.fixture
def hashed(monkeypatch):
    """Every call of the password hasher (Argon2id), verify and encode alike."""
    calls = []
    real_verify, real_encode = Argon2idHasher.verify, Argon2idHasher.encode

    def verify(self, password, encoded):
        calls.append("verify")
        return real_verify(self, password, encoded)

    def encode(self, password, salt):
        calls.append("encode")
        return real_encode(self, password, salt)

    monkeypatch.setattr(Argon2idHasher, "verify", verify)
    monkeypatch.setattr(Argon2idHasher, "encode", encode)
    return calls


@pytest.fixture
def browser(client):
    """The test client answered as a browser is: the error page, not the exception."""
    client.raise_request_exception = False
    return client


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def forget_the_dead_store():
    yield
    throttle.default_store.cache_clear()  # the next test must not inherit a dead store


def assert_unavailable(response):
    page = response.content.decode()
    assert response.status_code == 503, page[:500]
    assert UNAVAILABLE in page and response["Retry-After"] == "120"
    assert '<html lang="fr"' in page and not any(word in page for word in ENGLISH)


# --- A closed port: Redis was never there ----------------------------------------------


def test_issue_18_4_a_login_with_redis_unreachable_is_refused_in_french_and_never_hashed(
    settings, browser, hashed
):
    space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
    hashed.clear()
    use_redis(settings, closed_port_url())
    for email in (space.login_email, "inconnu@exemple.fr"):  # the right password; an unknown email (dummy hash)
        assert_unavailable(journey.login(browser, email))
    assert hashed == []  # fail closed: not one Argon2 verification without its counters
    assert browser.get("/espace").status_code == 302  # no session was opened


def test_issue_18_4_the_guard_runs_no_check_without_its_counters(settings):
    """The one guarded check (core.guard) asks the store first: the store down, verify is never called."""
    use_redis(settings, closed_port_url())
    verified = []
    with pytest.raises(Exception) as raised:
        guard.check_secret(account="lila.rosemonde@exemple.fr", address="192.0.2.7", verify=lambda: verified.append(1))
    assert verified == []
    assert shared_store_down(raised.value), repr(raised.value)


def test_issue_18_4_a_code_with_redis_unreachable_is_refused_and_stays_alive(settings, browser, monkeypatch):
    """J5: a right code posted while Redis is away is not checked, not consumed; it works once
    Redis is back. Posted from a browser without a session, so that the guard meets the dead
    store, not the session middleware."""
    space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
    assert recovery_steps.ask(browser, space.login_email).status_code == 302
    code = recovery_steps.reset_code(space.login_email)
    stores = settings.REDIS_URL, settings.CACHES, settings.SESSION_ENGINE
    use_redis(settings, closed_port_url())
    elsewhere = Client(raise_request_exception=False)
    checked, resume = [], CodeProcess.resume.__func__
    monkeypatch.setattr(CodeProcess, "resume", classmethod(lambda cls, **kw: checked.append(1) or resume(cls, **kw)))
    assert_unavailable(recovery_steps.give_code(elsewhere, space.login_email, code))
    assert checked == []  # the code was not even looked up
    assert PendingRequest.objects.get(space=space).used_at is None
    settings.REDIS_URL, settings.CACHES, settings.SESSION_ENGINE = stores  # Redis is back
    throttle.default_store.cache_clear()
    assert recovery_steps.give_code(elsewhere, space.login_email, code).status_code == 200


def test_issue_18_4_pages_that_need_no_redis_still_render_and_no_code_leaves_uncounted(settings, browser):
    use_redis(settings, closed_port_url())
    for path in ("/", "/aide", "/mentions-legales", "/creation", "/mot-de-passe-oublie", "/activation"):
        response = browser.get(path)
        assert response.status_code == 200, path
    assert browser.get("/sante").json()["base"] == "ok"
    SpaceFactory(login_email="lila.rosemonde@exemple.fr")
    # J5's first step counts the codes asked per address and per email: not counted, not sent.
    assert_unavailable(recovery_steps.ask(browser, "lila.rosemonde@exemple.fr"))
    assert not OutboxEmail.objects.exists() and not PendingRequest.objects.exists()


# --- A real Redis, killed or paused mid-run ---------------------------------------------


def test_issue_18_4_redis_killed_mid_run_then_started_again(settings, browser, hashed, own_redis):
    """Signed in on a live Redis; kill -9 → the space and every secret check answer 503 (the
    session cookie kept); a new redis-server on the same port → the same process serves again
    (its pool reconnects): the session, held only by the dead server, is gone, and the person
    signs in again."""
    use_redis(settings, own_redis.url)
    space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
    other = SpaceFactory(login_email="paul.martin@exemple.fr")
    assert journey.login(browser, space.login_email)["Location"] == "/espace"
    assert browser.get("/espace").status_code == 200
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    stranger = Client(raise_request_exception=False)
    page = stranger.get("/")  # another browser draws a captcha while Redis lives
    hashed.clear()

    own_redis.kill()
    assert_unavailable(browser.get("/espace"))
    assert browser.cookies[settings.SESSION_COOKIE_NAME].value == cookie  # not deleted: not a logout
    form = {"email": other.login_email, "password": "Cerf-volant sous la pluie d'automne 42"}
    assert_unavailable(stranger.post("/", {**form, **captcha_post_data(page)}))
    assert hashed == []

    own_redis.start()
    assert browser.get("/espace")["Location"].startswith("/")  # the session died with the server
    assert journey.login(browser, space.login_email)["Location"] == "/espace"
    assert browser.get("/espace").status_code == 200


def test_issue_18_4_a_mute_redis_fails_fast_then_the_session_carries_on(settings, browser, hashed, own_redis):
    """SIGSTOP: the port accepts connections but nothing answers. SOCKET_TIMEOUT (1 s, config.settings)
    answers the request with the 503 page instead of holding the worker; SIGCONT: the person is
    still signed in (the session was never lost)."""
    use_redis(settings, own_redis.url)
    space = SpaceFactory(login_email="lila.rosemonde@exemple.fr")
    assert journey.login(browser, space.login_email)["Location"] == "/espace"
    hashed.clear()
    own_redis.pause()
    answers, elapsed = [], []

    def ask():
        started = time.monotonic()
        answers.append(browser.get("/espace"))
        elapsed.append(time.monotonic() - started)

    try:
        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        # A liveness bound, not a measure: one socket timeout (1 s) and room to spare, under
        # redis-py's own default of 5 s per try, which would hold the worker that long.
        asking.join(timeout=4)
        assert answers, "la requête attend toujours un Redis muet"
    finally:
        own_redis.resume()
    print(f"\nRedis muet : page 503 en {elapsed[0]:.2f} s")
    assert_unavailable(answers[0])
    assert browser.get("/espace").status_code == 200  # back: still signed in
    assert hashed == []
