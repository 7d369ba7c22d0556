"""SPEC §4: the session cookie is HttpOnly, SameSite=Lax and Secure behind TLS; so is the CSRF
cookie (HttpOnly too: scripts take the token from the form, never from the cookie).

Read on real responses — the login page (the CSRF cookie) and a successful login (the session
cookie, and the CSRF cookie it renews) — under the cookie and TLS settings that config.settings
derives from each environment: production behind its TLS proxy (TRUSTED_PROXIES, the proxy
saying X-Forwarded-Proto: https), SECURE_COOKIES=1 forced, and development over plain http
(DEBUG=1, where a Secure cookie would never come back from http://127.0.0.1:8000).
"""

import re
from pathlib import Path

import pytest
from django.conf import global_settings
from django.test import Client

from antirobot.testing import captcha_post_data
from tests.conftest import fresh_settings
from tests.factories import STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "lila.rosemonde@exemple.fr"
PROXY = "10.0.0.1"
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# environment → (what the client sends, whether cookies must be Secure)
CASES = {
    "production behind its TLS proxy": (
        {"DEBUG": "0", "SECURE_COOKIES": None, "TRUSTED_PROXIES": PROXY},
        {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_PROTO": "https"},
        True,
    ),
    "SECURE_COOKIES=1, even in DEBUG": ({"DEBUG": "1", "SECURE_COOKIES": "1", "TRUSTED_PROXIES": None}, {}, True),
    "development over http": ({"DEBUG": "1", "SECURE_COOKIES": None, "TRUSTED_PROXIES": None}, {}, False),
}


def take_cookie_settings(settings, environment: dict) -> None:
    """Use the cookie, TLS and proxy settings config.settings reads from environment."""
    chosen = fresh_settings(**environment)
    names = [name for name in dir(global_settings) if name.startswith(("SESSION_COOKIE_", "CSRF_COOKIE_", "SECURE_"))]
    for name in [*names, "TRUSTED_PROXIES"]:
        setattr(settings, name, getattr(chosen, name, getattr(global_settings, name, None)))


def assert_flags(response, name: str, *, secure: bool) -> None:
    cookie = response.cookies[name]
    assert cookie.value, f"{name} absent de la réponse"
    assert cookie["httponly"] is True, f"{name} sans HttpOnly"
    assert cookie["samesite"] == "Lax", f"{name} : SameSite={cookie['samesite']!r}"
    assert bool(cookie["secure"]) is secure, f"{name} : Secure={cookie['secure']!r}"


@pytest.mark.parametrize("case", CASES)
def test_spec_4_session_and_csrf_cookie_flags_on_the_login_page_and_a_login(settings, case):
    environment, extra, secure = CASES[case]
    take_cookie_settings(settings, environment)
    SpaceFactory(login_email=EMAIL)
    client = Client(enforce_csrf_checks=True, HTTP_HOST="testserver", **extra)  # the Host a browser sends

    page = client.get("/")
    assert page.status_code == 200
    tls = bool(extra)
    assert page.wsgi_request.is_secure() is tls  # the proxy's X-Forwarded-Proto is believed
    assert ("Strict-Transport-Security" in page) is tls
    assert_flags(page, settings.CSRF_COOKIE_NAME, secure=secure)

    token = TOKEN_RE.search(page.content.decode())[1]  # the form's token, as a browser posts it
    data = {"csrfmiddlewaretoken": token, "email": EMAIL, "password": STRONG_PASSWORD, **captcha_post_data(page)}
    # A browser's POST carries its Origin, which Django checks against the host over https.
    login = client.post("/", data, HTTP_ORIGIN=("https" if tls else "http") + "://testserver")
    assert login.status_code == 302 and login["Location"] == "/espace"
    assert settings.SESSION_COOKIE_NAME == "espacepro_session"
    assert_flags(login, "espacepro_session", secure=secure)
    assert_flags(login, settings.CSRF_COOKIE_NAME, secure=secure)  # renewed at login
    assert client.get("/espace").status_code == 200


def test_spec_4_scripts_take_the_csrf_token_from_the_form_not_from_the_cookie():
    """The CSRF cookie is HttpOnly: a script reading document.cookie would find no token."""
    apps = ("core", "accounts", "codes", "antirobot")
    scripts = [path for app in apps for path in (ROOT / app).rglob("static/**/*.js")]
    assert {"espace.js", "captcha.js"} <= {script.name for script in scripts}
    for script in scripts:
        text = script.read_text(encoding="utf-8")
        assert "document.cookie" not in text, script
        if "fetch(" in text and '"POST"' in text:
            assert "csrfmiddlewaretoken" in text, f"{script} : POST sans le jeton du formulaire"
    # The captcha's "Plus de temps" (a POST from captcha.js) with the form's token in X-CSRFToken.
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/")
    key = captcha_post_data(page)["captcha_key"]
    token = TOKEN_RE.search(page.content.decode())[1]
    assert browser.post(f"/captcha/{key}/prolonger", HTTP_X_CSRFTOKEN=token).status_code == 200
    assert browser.post(f"/captcha/{key}/prolonger").status_code == 403
