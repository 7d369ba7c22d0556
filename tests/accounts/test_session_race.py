"""SPEC §4 sessions under a real race: two requests of one browser session, one of them slow.

The live password meter (POST /mot-de-passe/niveau) runs while the person types, so it is
often in flight when the form itself is submitted. If the meter writes its copy of the session
back after the form's request saved a wizard step, the step is lost (a stale write-back).

The only stand-in is a pause: the meter's strength computation waits until the other request
has finished, so that the interleaving is certain instead of left to timing. That is an internal
(`accounts.views.registration.password_level`, the name the meter view calls); what is checked is
the sessions as the store keeps them, read back through the next requests.
"""

import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connections
from django.test import Client

from core import clock
from accounts.views import registration as registration_views
from tests.accounts import journey
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "lila.rosemonde@exemple.fr"
WAIT = 10  # seconds: a bound on how long a thread may wait for the other, never a sleep


class SlowMeter:
    """Hold the meter's request inside its view until released, and tell when it is there."""

    def __init__(self):
        self.entered, self.released = threading.Event(), threading.Event()
        self.real = registration_views.password_level

    def __call__(self, *args, **kwargs):
        self.entered.set()
        assert self.released.wait(WAIT), "the other request never finished"
        return self.real(*args, **kwargs)


def same_browser(client):
    """Return a second client holding client's cookies: another tab of the same browser."""
    other = Client(raise_request_exception=False)
    other.cookies = client.cookies
    return other


def while_the_meter_is_slow(client, other_request):
    """Run the meter for client in a thread, run other_request meanwhile, then let it finish."""
    meter, outcome = SlowMeter(), {}

    def run_meter():
        try:
            outcome["status"] = same_browser(client).post("/mot-de-passe/niveau", {"password": "x" * 25}).status_code
        finally:
            connections.close_all()

    with mock.patch.object(registration_views, "password_level", meter):
        thread = threading.Thread(target=run_meter)
        thread.start()
        try:
            assert meter.entered.wait(WAIT), "the meter request never reached its view"
            other_request()
        finally:
            meter.released.set()
            thread.join(WAIT)
    assert not thread.is_alive()
    return outcome.get("status")


def log_in(client):
    SpaceFactory(login_email=EMAIL)
    assert journey.login(client, EMAIL).status_code == 302


@pytest.mark.parametrize("logged_in", [pytest.param(False, id="anonymous"), pytest.param(True, id="logged-in")])
def test_spec_4_a_slow_meter_request_cannot_undo_a_wizard_step(client, logged_in):
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        if logged_in:
            log_in(client)
        journey.start(client)
        traveller.shift(timedelta(minutes=2))  # a person reading the form: the idle clock moves on

        def submit_credentials():
            assert journey.credentials(client, "nouvelle.adresse@exemple.fr").status_code == 302

        assert while_the_meter_is_slow(client, submit_credentials) == 200
        # The credentials step, saved while the meter was in flight, is still there.
        response = client.get("/creation/formulaire")
        assert response.status_code == 200, response.get("Location")
        if logged_in:
            assert client.get("/espace").status_code == 200


def test_spec_4_a_slow_meter_request_cannot_revive_a_logged_out_session(client):
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        log_in(client)
        traveller.shift(timedelta(minutes=2))
        old_cookies = same_browser(client).cookies

        def log_out():
            assert client.post("/deconnexion").status_code == 302

        # The meter's own answer may be refused (its session was deleted meanwhile): never a 500.
        assert while_the_meter_is_slow(client, log_out) in (200, 400)
        replay = Client()
        replay.cookies = old_cookies
        assert replay.get("/espace").status_code == 302
        assert "_auth_user_id" not in replay.session
