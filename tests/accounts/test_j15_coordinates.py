"""J15 "Modifier mes coordonnées" (R-COORD-1, R-AUDIT-2) through the Django test client.

J1 step 3's fields pre-filled, its rules and messages, the current password (R-THROTTLE-1),
"Enregistrement effectué.", the email, the audit row, the home header and the recap PDF.
"""

import html

import pytest
from django.template.loader import render_to_string
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from accounts.forms import CoordinatesForm, RegistrationForm
from accounts.models import Space
from accounts.services.coordinates import FIELDS
from core.models import AuditEvent
from core.messages import message
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.accounts.coordinates_steps import COORDINATES_URL, CURRENT, EMAIL, NEW, mails_to, pdf_text, post_coordinates
from tests.factories import SpaceFactory
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
WRONG = "pas le bon mot de passe du tout"


@pytest.fixture
def space(db, companies):
    return SpaceFactory(login_email=EMAIL)


@pytest.fixture
def logged(client, space):
    assert journey.login(client, EMAIL).status_code == 302
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def stored(space) -> dict:
    return dict(Space.objects.filter(pk=space.pk).values(*FIELDS).get())


def test_r_coord_1_manage_links_to_the_page(logged):
    text = logged.get("/espace/gerer").content.decode()
    assert f'href="{COORDINATES_URL}"' in text
    assert 'aria-disabled="true">Modifier mes coordonnées' not in text


def test_r_coord_1_page_is_prefilled_with_step_3_fields_and_csrf(logged, space):
    page = logged.get(COORDINATES_URL)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert "csrfmiddlewaretoken" in text and 'method="post"' in text
    for label in ("Civilité", "Nom", "Prénom", "Entreprise étrangère", "S.I.R.E.N ou équivalent",
                  "Numéro de téléphone", "Libellé de la voie", "Code postal", "Ville", "Pays", "Mot de passe actuel"):
        assert label in text, label
    assert 'value="ROSEMONDE"' in text and 'value="Lila"' in text and 'value="732829320"' in text
    assert 'value="01 24 57 88 77"' in text  # national form, as a person types it
    assert f'value="{EMAIL}"' in text and "disabled" in text.split('name="contact_email"')[1].split(">")[0]
    assert 'value="MME"' in text and "checked" in text.split('value="MME"')[1].split(">")[0]
    assert "Données personnelles - Modifier mes coordonnées" in text


def test_r_coord_1_anonymous_goes_to_login(client, space):
    assert client.get(COORDINATES_URL)["Location"] == "/"
    assert client.get(COORDINATES_URL + "/enregistrement")["Location"] == "/"


def test_r_coord_1_done_page_without_a_change_goes_back_to_the_form(logged):
    assert logged.get(COORDINATES_URL + "/enregistrement")["Location"] == COORDINATES_URL


def test_r_coord_1_journey_email_audit_header_and_recap(logged, space):
    response = post_coordinates(logged, **NEW)
    assert response.status_code == 302 and response["Location"] == COORDINATES_URL + "/enregistrement"
    space.refresh_from_db()
    assert (space.civility, space.last_name, space.first_name) == ("M", "VASSEUR-QUENTIN", "Aurélien")
    assert space.phone == "+33612345678" and space.postal_code == "69002" and space.city == "Lyon"
    assert space.country == "FRANCE"
    done = logged.get(response["Location"]).content.decode()
    assert "Enregistrement effectué." in done
    assert "Modifications enregistrées : la civilité, le nom, le prénom, le numéro de téléphone, l&#x27;adresse." in done
    [body] = mails_to(EMAIL, "Modification de vos coordonnées")
    assert "la civilité, le nom, le prénom, le numéro de téléphone, l'adresse" in body
    assert "Gérer mon espace > Modifier mes coordonnées" in body
    # The email says what changed in words: never the values.
    for value in ("VASSEUR", "06 12 34 56 78", "+33612345678", "Capucines", "69002"):
        assert value not in body
    [event] = AuditEvent.objects.filter(kind="accounts.coordinates_changed", space=space)
    assert set(event.detail["fields"]) == {"civility", "last_name", "first_name", "phone", "street_number",
                                           "street_type", "street_name", "postal_code", "city"}
    # The session goes on; the home header shows the new name.
    home = logged.get("/espace").content.decode()
    assert "M. VASSEUR-QUENTIN Aurélien" in home
    # The recap PDF shows the new data (R-PDF-1), read back with pypdf.
    text = pdf_text(logged.get("/espace/recapitulatif.pdf"))
    for value in ("VASSEUR-QUENTIN", "Aurélien", "06 12 34 56 78", "17 boulevard des Capucines", "69002 Lyon"):
        assert value in text, value
    assert "ROSEMONDE" not in text


def test_r_coord_1_foreign_company_and_history_row(logged, space):
    response = post_coordinates(logged, foreign_company="oui", company_identifier="be0123456789")
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.foreign_company is True and space.company_identifier == "BE0123456789"
    [body] = mails_to(EMAIL, "Modification de vos coordonnées")
    assert "l'entreprise d'appartenance" in body
    assert "Coordonnées modifiées" in logged.get("/espace/historique").content.decode()


def test_r_coord_1_nothing_changed_is_refused_and_sends_nothing(logged, space):
    response = post_coordinates(logged)
    assert response.status_code == 400
    assert message("coordinates_nothing") in text(response)
    assert OutboxEmail.objects.filter(subject__contains="coordonnées").count() == 0
    assert not AuditEvent.objects.filter(kind="accounts.coordinates_changed").exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"company_identifier": "123456789"}, "company_identifier"),
        ({"phone": "12"}, "phone"),
        ({"postal_code": "7500"}, "postal_code"),
        ({"last_name": ""}, "last_name"),
        ({"civility": "X"}, "civility"),
        ({"city": ""}, "city"),
        ({"foreign_company": "oui", "company_identifier": "!!"}, "company_identifier"),
    ],
)
def test_r_coord_1_same_rules_and_messages_as_step_3(logged, space, overrides, field):
    before = stored(space)
    response = post_coordinates(logged, **{**NEW, **overrides})
    assert response.status_code == 400
    step_3 = RegistrationForm({**NEW, **overrides, "trust_question": "Quel est votre surnom ?", "trust_answer": "x" * 8})
    assert not step_3.is_valid()
    [expected] = step_3.errors[field]
    assert expected in text(response)
    assert stored(space) == before and not OutboxEmail.objects.filter(subject__contains="coordonnées").exists()


def test_r_coord_1_r_throttle_1_wrong_password_writes_nothing_and_is_throttled(logged, space):
    before = stored(space)
    for _ in range(5):
        response = post_coordinates(logged, current=WRONG, **NEW)
        assert response.status_code == 400
        assert message("current_password_refused") in text(response)
    assert stored(space) == before
    assert AuditEvent.objects.filter(kind="accounts.coordinates_refused", detail__reason="wrong_password").count() == 5
    # One counter per account (R-THROTTLE-1): the login is blocked, and the right password is
    # not even checked now.
    assert journey.login(Client(), EMAIL).status_code == 400
    response = post_coordinates(logged, **NEW)
    assert response.status_code == 400 and "Trop de tentatives" in response.content.decode()
    assert stored(space) == before
    assert AuditEvent.objects.filter(kind="accounts.coordinates_refused", detail__reason="throttled").count() == 1
    assert not mails_to(EMAIL, "coordonnées")


def test_r_coord_1_trust_email_points_somewhere_true():
    body = render_to_string("espace/emails/trust_changed.txt", {"site": "exemple.fr"})
    assert "Gérer vos coordonnées" not in body
    assert "« Gérer mon espace > Modifier mes identifiants de connexion »" in body


FORM_FIELDS = [*CURRENT, "current_password", "contact_email"]


@FUZZ
@given(values=st.dictionaries(st.sampled_from(FORM_FIELDS), HOSTILE, min_size=1))
@example(values={"last_name": "\x00", "current_password": "a" * 10000})
@example(values={"phone": "+" + "9" * 300, "postal_code": "<script>"})
def test_r_coord_1_hostile_input_never_fails_and_writes_nothing(logged, space, values):
    """Hostile values in every field, a wrong current password: a French 400, nothing written."""
    values.setdefault("current_password", WRONG)
    if values["current_password"] == "Cerf-volant sous la pluie d'automne 42":
        values["current_password"] = WRONG
    before = stored(space)
    emails = OutboxEmail.objects.count()
    response = logged.post(COORDINATES_URL, {**CURRENT, **values})
    assert response.status_code == 400
    page = text(response)
    assert "Le formulaire contient des erreurs" in page or message("coordinates_nothing") in page
    assert stored(space) == before and OutboxEmail.objects.count() == emails


@FUZZ
@given(field=st.sampled_from(list(CURRENT)), value=HOSTILE)
def test_r_coord_1_hostile_values_with_the_right_password(logged, space, field, value):
    """The right password: each hostile value is refused by its field or stored as J1 would store it."""
    before = stored(space)
    form = CoordinatesForm({**CURRENT, field: value, "current_password": "x"}, space=Space.objects.get(pk=space.pk))
    response = post_coordinates(logged, **{field: value})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert form.is_valid()
        assert stored(space) == form.values()
        Space.objects.filter(pk=space.pk).update(**before)
    else:
        assert stored(space) == before
