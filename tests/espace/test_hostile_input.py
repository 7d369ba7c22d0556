"""Hostile input on every form of J1-J3 (SPEC §4 "Bad input"): never a 500, nothing half-written."""

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from espace.models import PendingRequest, Space
from mailer.models import OutboxEmail
from tests.espace import journey

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.sampled_from(
        [
            "\x00",
            "' OR 1=1 --",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "%00",
            "\u202e",
            "🙂" * 50,
            "a" * 10000,
            " ",
            "0" * 9,
            "000 000 000",
        ]
    ),
)
# FUZZ_EXAMPLES=300 make test for a longer hunt; the default keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def nothing_written():
    assert Space.objects.count() == 0
    assert PendingRequest.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


@FUZZ
@given(email=HOSTILE, confirm=HOSTILE, password=HOSTILE)
def test_credentials_step_never_fails(client, email, confirm, password):
    journey.start(client)
    response = client.post(
        "/creation/identifiants",
        {"email": email, "email_confirm": confirm, "password": password, "password_confirm": password},
    )
    assert response.status_code in (302, 400)
    nothing_written()


@FUZZ
@given(values=st.dictionaries(st.sampled_from(list(journey.PROFILE)), HOSTILE, min_size=1))
def test_registration_form_never_fails(client, values):
    journey.start(client)
    journey.credentials(client)
    response = journey.profile(client, **values)
    assert response.status_code in (302, 400)
    nothing_written()


@FUZZ
@given(code=HOSTILE, captcha=HOSTILE, key=HOSTILE)
def test_activation_code_step_never_fails(client, code, captcha, key):
    response = client.post("/activation", {"code": code, "captcha": captcha, "captcha_key": key})
    assert response.status_code in (200, 400)
    nothing_written()


@FUZZ
@given(code=HOSTILE, email=HOSTILE, action=HOSTILE)
def test_activation_email_step_never_fails(client, code, email, action):
    response = client.post("/activation/identifiants", {"code": code, "email": email, "action": action})
    assert response.status_code in (302, 400)
    nothing_written()


@FUZZ
@given(email=HOSTILE, password=HOSTILE, captcha=HOSTILE)
def test_login_never_fails(client, email, password, captcha):
    response = client.post("/", {"email": email, "password": password, "captcha": captcha, "captcha_key": "x"})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


@FUZZ
@given(path=st.text(min_size=1, max_size=200))
def test_unknown_urls_answer_404_in_french(client, path):
    response = client.get("/" + path.lstrip("/"))
    assert response.status_code < 500


@pytest.mark.parametrize(
    "url",
    [
        "/creation/conditions-generales",
        "/creation/formulaire",
        "/creation/inscription",
        "/activation",
        "/activation/identifiants",
        "/",
        "/mot-de-passe/niveau",
    ],
)
def test_truncated_and_malformed_posts(client, url):
    journey.start(client)
    for body, content_type in (
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\ntrunc', "multipart/form-data; boundary=x"),
        (b'{"json": true}', "application/json"),
    ):
        response = client.generic("POST", url, body, content_type=content_type)
        assert response.status_code < 500
    nothing_written()
