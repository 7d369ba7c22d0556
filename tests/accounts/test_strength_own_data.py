"""R-PWD-2: the strength is judged against the user's own data — the email cut and glued,
the names, the subscriber number, the SIREN and the company's name — on the server and in the
live meter alike."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from django.utils.html import escape

from accounts.models import Space
from core.messages import message
from accounts.validators import strength, user_inputs
from registre.models import Company
from tests.accounts import journey
from tests.factories import STRONG_PASSWORD, SpaceFactory

EMAIL = "paul.martin@example.fr"


@pytest.mark.parametrize(
    "password",
    [
        "paulmartinexamplefr2026",  # the email just typed, glued, plus a year
        "martinpaulexamplefr1984",
        "Paul.Martin@Example.fr2026",
    ],
)
def test_r_pwd_2_the_email_glued_with_a_year_is_weak(password):
    subject = Space(login_email=EMAIL)
    assert strength(password, user_inputs(subject)) <= 2
    with pytest.raises(ValidationError):
        validate_password(password, subject)
    # The same password for somebody else is judged on its own (it is not a common password).
    assert strength(password, user_inputs(Space(login_email="lila.rosemonde@exemple.fr"))) >= 3


def test_r_pwd_2_email_is_cut_on_separators_and_digits():
    inputs = user_inputs(Space(login_email="jean_luc+impots75@cabinet-durand.fr"))
    for piece in ("jean", "luc", "impots", "75", "cabinet-durand", "fr", "jeanlucimpots75", "cabinet-durandfr"):
        assert piece in inputs, piece


@pytest.mark.django_db
def test_r_pwd_2_names_number_siren_and_company_name_count():
    Company.objects.create(siren="732829320", name="BOULANGERIE DES LILAS")
    space = Space(
        login_email="x@exemple.fr",
        first_name="Jean-Pierre",
        last_name="DURAND",
        subscriber_number="20111710000303",
        company_identifier="732829320",
    )
    for password in ("jeanpierredurand2026", "20111710000303durand", "732829320boulangerie", "boulangeriedeslilas75"):
        assert strength(password, user_inputs(space)) <= 2, password


@pytest.mark.django_db
def test_r_pwd_2_j1_step_2_refuses_the_email_glued_with_a_year(client):
    journey.start(client)
    response = journey.credentials(client, email=EMAIL, password="paulmartinexamplefr2026")
    assert response.status_code == 400
    assert escape(message("password_weak")) in response.content.decode()


@pytest.mark.django_db
def test_r_pwd_2_the_live_meter_knows_the_typed_email(client):
    weak = client.post("/mot-de-passe/niveau", {"password": "paulmartinexamplefr2026", "email": EMAIL}).json()
    assert weak == {"niveau": "Faible et non autorisé", "autorise": False}
    other = client.post("/mot-de-passe/niveau", {"password": "paulmartinexamplefr2026", "email": "a@b.fr"}).json()
    assert other["autorise"] is True


@pytest.mark.django_db
def test_r_pwd_2_the_live_meter_knows_the_logged_in_space(client):
    space = SpaceFactory(login_email=EMAIL, first_name="Paul", last_name="MARTIN")
    journey.login(client, space.login_email, STRONG_PASSWORD)
    level = client.post("/mot-de-passe/niveau", {"password": "martinpaulexamplefr1984"}).json()
    assert level["autorise"] is False
