"""J7 as a person sees it: the login page's certificate entry (guide 004), the refusal page, the
help section it leads to, and the home of a certificate session (axe-core, keyboard)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from core import clock
from accounts.services import pki
from tests.browser.helpers import Visits, press_and_wait, tab_to
from tests.accounts.certs import certificate_space, client_cert, escaped

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_j7_certificate_entry_refusal_and_help_by_keyboard(page):
    """Without nginx in front (no trusted proxy), the entry leads to the one clear refusal page."""
    visits = Visits(page, reflow=True)
    page.goto("/")
    expect(page.get_by_role("heading", name="J'accède avec mon certificat électronique")).to_be_visible()
    entry = page.get_by_role("link", name="Accéder avec mon certificat")
    tab_to(page, entry)
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Accès avec certificat refusé")).to_be_visible()
    page.watch.new_problems()  # the page's own 403 is the point here
    visits.check("refus du certificat")
    help_link = page.get_by_role("link", name="Espaces avec certificat : l'aide")
    tab_to(page, help_link)
    press_and_wait(page)
    expect(page.get_by_role("heading", name="Espaces avec certificat")).to_be_in_viewport()
    visits.check("aide, espaces avec certificat")


def test_j7_home_of_a_certificate_session_shows_its_validity(page, settings, tmp_path, live_server):
    ca = pki.make_ca("AC de test", now=clock.now())
    ca_file = tmp_path / "ca.pem"
    ca_file.write_bytes(ca.cert_pem)
    settings.CLIENT_CA_FILE, settings.TRUSTED_PROXIES = str(ca_file), ["10.0.0.5"]
    issued = client_cert(ca, days_after=300)
    space = certificate_space(issued)
    # The session nginx's request would open, handed to the browser as its cookie.
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    assert proxy.get("/certificat", HTTP_X_SSL_CLIENT_CERT=escaped(issued)).status_code == 302
    cookie = proxy.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto("/espace")
    until = clock.paris(issued.cert.not_valid_after_utc).strftime("%d/%m/%Y")
    expect(page.get_by_text(f"Date de validité du certificat : {until}")).to_be_visible()
    expect(page.get_by_text(space.subscriber_number)).to_be_visible()
    expect(page.get_by_text("Expiration du mot de passe")).to_have_count(0)
    Visits(page, reflow=True).check("accueil, espace avec certificat")
