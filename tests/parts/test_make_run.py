"""What `make run` and bin/serve rely on: the demo data command and the WSGI entry point."""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_load_demo_creates_the_demo_space_once_and_prints_its_credentials():
    from accounts.management.commands.load_demo import DEMO_EMAIL, DEMO_PASSWORD
    from accounts.models import Space

    first, second = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)  # `make run` runs it at every start
    space = Space.objects.get(login_email=DEMO_EMAIL)
    assert space.check_password(DEMO_PASSWORD)
    for out in (first.getvalue(), second.getvalue()):
        assert DEMO_EMAIL in out and DEMO_PASSWORD in out and space.subscriber_number in out


@pytest.mark.django_db(transaction=True)  # the handler closes connections, as in production
def test_the_wsgi_entry_point_of_gunicorn_serves_the_health_check():
    from config.wsgi import application

    answer = {}

    def start_response(status, headers):
        answer.update(status=status, headers=dict(headers))

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/sante",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
    }
    body = b"".join(application(environ, start_response))
    assert answer["status"] == "200 OK" and answer["headers"]["Cache-Control"] == "no-store"
    assert json.loads(body)["base"] == "ok"
