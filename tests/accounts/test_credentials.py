"""J4 "Modifier mes identifiants de connexion" through the Django test client.

Each box alone, email + password together, the current password (ASVS 2.1.6, R-THROTTLE-1),
sessions (a password or trust change ends the others; an email change ends all), R-MAIL-3.
"""

from datetime import datetime, timezone

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from core.models import AuditEvent

from accounts.models import PasswordHistory, Space

from codes.models import PendingRequest
from mailer.models import OutboxEmail
from recapitulatif import render as render_pdf
from tests.accounts import journey
from tests.accounts.credentials_steps import (
    EMAIL,
    NEW_ANSWER,
    NEW_EMAIL,
    URL,
    change,
    email_box,
    in_database,
    mails_to,
    password_box,
    trust_box,
)
from tests.factories import OTHER_STRONG_PASSWORD, STRONG_PASSWORD, TRUST_ANSWER, SpaceFactory
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
@pytest.fixture
def space(db):
    return SpaceFactory(login_email=EMAIL)


@pytest.fixture
def logged(client, space):
    assert journey.login(client, EMAIL).status_code == 302
    return client


def test_j4_page_shows_the_three_boxes_and_current_password(logged):
    page = logged.get(URL)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    for label in (
        "Modifier mon adresse électronique",
        "Saisir ma nouvelle adresse électronique de connexion",
        "Confirmer ma nouvelle adresse électronique de connexion",
        "Modifier mon mot de passe",
        "Saisir mon nouveau mot de passe",
        "Confirmer mon nouveau mot de passe",
        "Modifier ma question de confiance",
        "Mot de passe actuel",
        "Retourner à la gestion de mon espace",
        "Recommandations pour prévenir les usurpations",
        "data-strength-meter",
    ):
        assert label in text, label
    assert 'name="change_password" aria-controls="change_password-fields"' in text
    assert "checked" not in text.split('name="change_password"')[1].split(">")[0]


def test_j4_modifier_mot_de_passe_ticks_the_password_box(logged):
    text = logged.get(URL + "?modifier=mot-de-passe").content.decode()
    assert "checked" in text.split('name="change_password"')[1].split(">")[0]


def test_j4_manage_links_to_the_page(logged):
    assert f'href="{URL}"' in logged.get("/espace/gerer").content.decode()


def test_j4_anonymous_goes_to_login(client, space):
    assert client.get(URL)["Location"] == "/"
    assert client.get(URL + "/enregistrement")["Location"] == "/"


def test_j4_done_page_without_a_change_goes_back_to_the_form(logged):
    assert logged.get(URL + "/enregistrement")["Location"] == URL


@time_machine.travel(datetime(2026, 2, 23, 13, 52, tzinfo=timezone.utc), tick=False)
def test_j4_password_alone_applied_at_once_r_pwd_6_and_email(logged, space):
    response = change(logged, **password_box())
    assert response.status_code == 302 and response["Location"] == URL + "/enregistrement"
    space.refresh_from_db()
    assert check_password(OTHER_STRONG_PASSWORD, space.password)
    assert str(space.password_expires_on) == "2029-02-22"
    assert PasswordHistory.objects.filter(space=space).count() == 1  # R-PWD-3: the old one kept
    done = logged.get(response["Location"]).content.decode()
    assert "Enregistrement effectué." in done
    assert "Votre mot de passe a été réinitialisé avec succès." in done
    assert "Ce mot de passe est valable jusqu'au 22 février 2029." in done
    assert "Vous allez recevoir un courriel de confirmation." in done
    [body] = mails_to(EMAIL, "Modification du mot de passe")
    assert "Vous avez modifié votre mot de passe" in body and "22 février 2029" in body
    assert OTHER_STRONG_PASSWORD not in body
    assert AuditEvent.objects.filter(kind="accounts.password_changed", space=space).count() == 1
    assert not in_database(OTHER_STRONG_PASSWORD)
    assert PendingRequest.objects.count() == 0
    # The new password logs in, the old one no longer does.
    assert journey.login(Client(), EMAIL, STRONG_PASSWORD).status_code == 400
    assert journey.login(Client(), EMAIL, OTHER_STRONG_PASSWORD).status_code == 302


def test_j4_password_change_ends_other_sessions_and_keeps_this_one_under_a_new_id(logged, space):
    other = Client()
    assert journey.login(other, EMAIL).status_code == 302
    assert other.get("/espace").status_code == 200
    before = logged.session.session_key
    assert change(logged, **password_box()).status_code == 302
    assert logged.session.session_key != before
    assert logged.get("/espace").status_code == 200  # this one continues
    assert other.get("/espace")["Location"] == "/"  # the other one ended


def test_j4_trust_change_ends_other_sessions_and_keeps_this_one_under_a_new_id(logged, space):
    """Issue 13 item 5 (ASVS 5.0 V7.4.3): the trust answer is a credential (J5 resets the
    password with it), so changing it ends the other sessions, as every other change does."""
    other = Client()
    assert journey.login(other, EMAIL).status_code == 302
    before = logged.session.session_key
    assert change(logged, **trust_box()).status_code == 302
    assert logged.session.session_key != before
    assert logged.get("/espace").status_code == 200  # this one continues
    assert other.get("/espace")["Location"] == "/"  # the other one ended


def test_j4_other_sessions_survive_what_is_not_a_credential(logged, space):
    other = Client()
    assert journey.login(other, EMAIL).status_code == 302
    Space.objects.filter(pk=space.pk).update(phone="+33612345678", last_name="NOUVEAU", city="LYON")
    assert change(logged, **email_box()).status_code == 302  # a pending request changes nothing yet
    assert other.get("/espace").status_code == 200


def test_the_session_auth_hash_keeps_its_salt_and_covers_each_credential(space):
    from django.utils.crypto import salted_hmac

    parts = (space.password, space.login_email, space.access_mode, space.trust_answer_hash)
    expected = salted_hmac("espace.Space.session_auth_hash", "\x00".join(parts), algorithm="sha256").hexdigest()
    assert space.get_session_auth_hash() == expected
    seen = {expected}
    for field, value in (("trust_answer_hash", "argon2$autre"), ("login_email", "x@exemple.fr"), ("password", "p")):
        setattr(space, field, value)
        seen.add(space.get_session_auth_hash())
    assert len(seen) == 4


def test_r_pwd_3_new_password_must_differ_from_the_current(logged, space):
    response = change(logged, **password_box(STRONG_PASSWORD))
    assert response.status_code == 400
    assert "doit être différent de votre mot de passe actuel" in response.content.decode()
    assert OutboxEmail.objects.count() == 0


def test_r_pwd_2_weak_password_refused_with_the_spaces_own_data(logged, space):
    # Long enough and "Fort" for anyone else, but made of the owner's own email and name.
    weak = f"{EMAIL} Lila"
    response = change(logged, **password_box(weak))
    assert response.status_code == 400
    assert "trop faible" in response.content.decode()
    space.refresh_from_db()
    assert check_password(STRONG_PASSWORD, space.password)


def test_j4_new_passwords_must_match(logged):
    response = change(logged, **password_box(confirm=OTHER_STRONG_PASSWORD + "x"))
    assert response.status_code == 400
    assert "Les deux mots de passe saisis ne sont pas identiques." in response.content.decode()


def test_j4_a_ticked_box_requires_its_fields(logged):
    response = change(logged, change_password="on", change_trust="on", trust_question="")
    assert response.status_code == 400
    html = response.content.decode()
    # By each field once, and once more in the summary's link to that field (RGAA 11.10).
    assert html.count("Ce champ est obligatoire.") == 8
    assert html.split('id="form-errors"', 1)[1].split("</div>", 1)[0].count("Ce champ est obligatoire.") == 4


def test_j4_unticked_boxes_are_ignored_whatever_they_hold(logged, space):
    response = change(logged, **password_box(), new_email="pas une adresse", trust_answer="\x00", trust_question="?")
    assert response.status_code == 302
    space.refresh_from_db()
    assert check_password(OTHER_STRONG_PASSWORD, space.password) and space.trust_question == "Quel est votre surnom ?"


def test_j4_nothing_ticked_is_refused(logged):
    # Fields of unticked boxes are ignored (without JavaScript they all show).
    response = change(logged, new_password=OTHER_STRONG_PASSWORD, new_email="x")
    assert response.status_code == 400
    assert "Cochez au moins une case" in response.content.decode()


def test_j4_wrong_current_password_counts_against_the_account(logged, space, settings):
    for _ in range(5):
        response = change(logged, current="pas le bon mot de passe du tout", **password_box())
        assert response.status_code == 400
        assert "Le mot de passe actuel est incorrect" in response.content.decode()
    space.refresh_from_db()
    assert check_password(STRONG_PASSWORD, space.password)
    assert AuditEvent.objects.filter(kind="accounts.credentials_refused", space=space).count() == 5
    # R-THROTTLE-1: one counter per account: the login is now blocked too, even right.
    assert journey.login(Client(), EMAIL).status_code == 400
    # And the right current password is not even checked while blocked.
    response = change(logged, **password_box())
    assert response.status_code == 400
    assert AuditEvent.objects.filter(kind="accounts.credentials_refused", detail__reason="throttled").count() == 1
    space.refresh_from_db()
    assert check_password(STRONG_PASSWORD, space.password)


def test_j4_current_password_checked_before_the_history(logged, space):
    """A session without the password learns nothing from R-PWD-3's history check."""
    response = change(logged, current="pas le bon mot de passe du tout", **password_box(STRONG_PASSWORD))
    text = response.content.decode()
    assert "Le mot de passe actuel est incorrect" in text
    assert "doit être différent" not in text


def test_j4_trust_question_applied_at_once_with_recap_and_email(logged, space):
    response = change(logged, **trust_box())
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.trust_question == "Quel est votre plat préféré ?"
    assert space.trust_answer_hash.startswith("argon2") and check_password(NEW_ANSWER, space.trust_answer_hash)
    assert not check_password(TRUST_ANSWER, space.trust_answer_hash)
    done = logged.get(response["Location"]).content.decode()
    assert "Votre réponse à la question de confiance a été réinitialisée avec succès." in done
    assert "Télécharger mon récapitulatif" in done and 'href="/espace/recapitulatif.pdf"' in done
    assert "Votre mot de passe a été réinitialisé" not in done
    [body] = mails_to(EMAIL, "Modification de la réponse à la question de confiance")
    assert "Vous avez modifié votre réponse à la question de confiance" in body and NEW_ANSWER not in body
    assert not in_database(NEW_ANSWER)
    # This session goes on (re-bound to the new hash: see the test below).
    assert logged.get("/espace").status_code == 200


def test_j4_recap_shows_the_new_question_never_the_answer(logged, space):
    from core import clock
    from accounts.services import spaces

    change(logged, **trust_box())
    space.refresh_from_db()
    data = spaces.recap_data(space, clock.now())
    assert data.trust_question == "Quel est votre plat préféré ?"
    assert NEW_ANSWER not in repr(data)
    pdf = logged.get("/espace/recapitulatif.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert NEW_ANSWER.encode() not in pdf.content
    assert render_pdf(data)[:4] == b"%PDF"


def test_j4_trust_answer_rules(logged):
    response = change(logged, **trust_box(answer=" "))
    assert "La réponse doit comporter de 1 à 100 caractères." in response.content.decode()
    response = change(logged, **trust_box(question="Quelle est la couleur du cheval blanc ?"))
    assert response.status_code == 400


def test_j4_password_and_trust_together(logged, space):
    assert change(logged, **password_box(), **trust_box()).status_code == 302
    done = logged.get(URL + "/enregistrement").content.decode()
    assert "Votre mot de passe a été réinitialisé" in done and "question de confiance a été réinitialisée" in done
    assert len(mails_to(EMAIL, "Modification")) == 2


def test_j4_email_alone_is_pending_until_activation(logged, space):
    response = change(logged, **email_box())
    assert response.status_code == 302
    pending = PendingRequest.objects.get()
    assert pending.kind == "email_change" and pending.email == NEW_EMAIL and pending.held_email == NEW_EMAIL
    assert pending.space == space and pending.payload == {"password_hash": None}
    space.refresh_from_db()
    assert space.login_email == EMAIL  # nothing applied yet
    done = logged.get(response["Location"]).content.decode()
    assert "Un code d'activation a été envoyé à l'adresse électronique suivante" in done
    assert NEW_EMAIL in done and "48h" in done and "Fermer" in done
    # The guide's activation email to the NEW address only.
    code = journey.last_code(NEW_EMAIL)
    assert not OutboxEmail.objects.filter(to=EMAIL).exists()
    # Until activation only the old email logs in.
    assert journey.login(Client(), NEW_EMAIL).status_code == 400
    assert journey.login(Client(), EMAIL).status_code == 302

    other = Client()
    assert journey.login(other, EMAIL).status_code == 302
    activating = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0")
    finished = journey.activate(activating, code, NEW_EMAIL)
    assert finished.status_code == 302 and finished["Location"] == "/activation/recapitulatif"
    page = activating.get("/activation/recapitulatif").content.decode()
    assert space.subscriber_number in page and "Sauvegardez ou imprimez le récapitulatif" in page
    assert NEW_EMAIL in page
    pdf = activating.get("/activation/recapitulatif.pdf")
    assert pdf.status_code == 200
    space.refresh_from_db()
    assert space.login_email == NEW_EMAIL and space.contact_email == NEW_EMAIL
    assert check_password(STRONG_PASSWORD, space.password)  # no new password chosen
    assert Space.objects.count() == 1  # the same space, dossiers untouched
    # Every session of the space ended, this one's included.
    assert logged.get("/espace")["Location"] == "/"
    assert other.get("/espace")["Location"] == "/"
    # The notice went to the OLD address; the old email is refused afterwards.
    [notice] = mails_to(EMAIL, "Modification de l'adresse électronique de connexion")
    assert NEW_EMAIL in notice and "Si vous n'êtes pas à l'origine de cette modification" in notice
    assert journey.login(Client(), EMAIL).status_code == 400
    assert journey.login(Client(), NEW_EMAIL).status_code == 302
    [changed] = AuditEvent.objects.filter(kind="accounts.email_changed", space=space)
    # Its row of the security history shows the address and browser, as every other row does.
    assert changed.ip == "127.0.0.1" and changed.user_agent == "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"
    # The code worked once.
    assert journey.activate(Client(), code, NEW_EMAIL).status_code == 400


def test_j4_email_and_password_together_applied_at_activation(logged, space):
    assert change(logged, **email_box(), **password_box()).status_code == 302
    pending = PendingRequest.objects.get()
    assert pending.payload["password_hash"].startswith("argon2")
    assert OTHER_STRONG_PASSWORD not in str(pending.payload)
    space.refresh_from_db()
    assert check_password(STRONG_PASSWORD, space.password)  # not yet
    done = logged.get(URL + "/enregistrement").content.decode()
    assert "Votre mot de passe a été réinitialisé" not in done
    assert not mails_to(EMAIL, "Modification du mot de passe")
    assert logged.get("/espace").status_code == 200  # nothing changed yet: the session goes on
    assert journey.activate(Client(), journey.last_code(NEW_EMAIL), NEW_EMAIL).status_code == 302
    space.refresh_from_db()
    assert space.login_email == NEW_EMAIL and check_password(OTHER_STRONG_PASSWORD, space.password)
    assert PasswordHistory.objects.filter(space=space).count() == 1
    assert PendingRequest.objects.get().payload == {}  # the hash wiped at use
    # No secret in clear anywhere (audit log included)
    assert not in_database(OTHER_STRONG_PASSWORD) and not in_database(STRONG_PASSWORD)
    [notice] = mails_to(EMAIL, "Modification de l'adresse électronique de connexion")
    assert "ainsi que votre mot de passe" in notice
    assert journey.login(Client(), NEW_EMAIL, STRONG_PASSWORD).status_code == 400
    assert journey.login(Client(), NEW_EMAIL, OTHER_STRONG_PASSWORD).status_code == 302


def test_j4_email_and_trust_together_trust_now_email_later(logged, space):
    assert change(logged, **email_box(), **trust_box()).status_code == 302
    space.refresh_from_db()
    assert space.trust_question == "Quel est votre plat préféré ?" and space.login_email == EMAIL
    done = logged.get(URL + "/enregistrement").content.decode()
    assert "question de confiance a été réinitialisée" in done and NEW_EMAIL in done


def test_j4_second_email_change_replaces_the_first(logged, space):
    change(logged, **email_box())
    first = journey.last_code(NEW_EMAIL)
    change(logged, **email_box("lila.autre@exemple.fr"))
    second = journey.last_code("lila.autre@exemple.fr")
    assert PendingRequest.objects.count() == 1
    assert journey.activate(Client(), first, NEW_EMAIL).status_code == 400  # the old code stops working
    assert journey.activate(Client(), second, "lila.autre@exemple.fr").status_code == 302
    space.refresh_from_db()
    assert space.login_email == "lila.autre@exemple.fr"


def test_r_mail_3_email_of_another_space_or_request_is_refused(logged, space):
    SpaceFactory(login_email="pris@exemple.fr")
    response = change(logged, **email_box("pris@exemple.fr"))
    assert response.status_code == 400
    assert "Cette adresse électronique ne peut pas être utilisée" in response.content.decode()
    journey.register(Client(), "en-cours@exemple.fr")  # a live creation request holds it
    response = change(logged, **email_box("en-cours@exemple.fr"), **trust_box())
    assert response.status_code == 400
    space.refresh_from_db()  # nothing half-written: the trust box was not applied either
    assert space.trust_question == "Quel est votre surnom ?"
    assert PendingRequest.objects.filter(kind="email_change").count() == 0
    assert not mails_to(EMAIL, "Modification")


def test_j4_new_email_must_differ_and_match(logged, space):
    assert "doit être différente" in change(logged, **email_box(EMAIL)).content.decode()
    text = change(logged, **email_box(confirm="autre@exemple.fr")).content.decode()
    assert "Les deux adresses électroniques saisies ne sont pas identiques." in text


def test_j4_email_change_of_a_space_gone_is_refused_like_a_wrong_code(logged, space):
    change(logged, **email_box())
    code = journey.last_code(NEW_EMAIL)
    Space.objects.filter(pk=space.pk).update(is_active=False)
    assert journey.activate(Client(), code, NEW_EMAIL).status_code == 400
    assert Space.objects.get().login_email == EMAIL


# --- Hostile input (SPEC §4 "Bad input"): never a 500, nothing half-written -----------------

FIELDS = [
    "change_email",
    "new_email",
    "new_email_confirm",
    "change_password",
    "new_password",
    "new_password_confirm",
    "change_trust",
    "trust_question",
    "trust_answer",
    "current_password",
]


@FUZZ
@given(values=st.dictionaries(st.sampled_from(FIELDS), HOSTILE, min_size=1))
@example(values={"change_password": "on", "new_password": "a" * 10000, "new_password_confirm": "a" * 10000})
@example(values={"change_email": "on", "new_email": "\x00@exemple.fr", "new_email_confirm": "\x00@exemple.fr"})
@example(values={"change_trust": "on", "trust_question": "<script>", "trust_answer": "\x00"})
def test_j4_form_never_fails_and_writes_nothing(logged, space, values):
    """Hostile values in every field, a wrong current password: a French 400, nothing written."""
    values.setdefault("current_password", "pas le bon mot de passe du tout")
    assert values["current_password"] != STRONG_PASSWORD
    password, question = Space.objects.values_list("password", "trust_question").get(pk=space.pk)
    emails = OutboxEmail.objects.count()
    response = logged.post(URL, values)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Le formulaire contient des erreurs" in text or "Cochez au moins une case" in text
    assert Space.objects.values_list("password", "trust_question").get(pk=space.pk) == (password, question)
    assert Space.objects.get(pk=space.pk).login_email == EMAIL
    assert PendingRequest.objects.count() == 0 and OutboxEmail.objects.count() == emails


@FUZZ
@given(email=HOSTILE, answer=HOSTILE)
def test_j4_hostile_values_with_the_right_password_never_fail(logged, space, email, answer):
    """The right current password: the hostile values reach the flow or are refused by the field."""
    response = change(logged, **email_box(email), **trust_box(answer=answer))
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert PendingRequest.objects.count() == 0
        assert Space.objects.get(pk=space.pk).trust_question == "Quel est votre surnom ?"
    else:  # both applied together, or neither
        assert PendingRequest.objects.filter(kind="email_change").count() == 1
        assert Space.objects.get(pk=space.pk).trust_question == "Quel est votre plat préféré ?"
        PendingRequest.objects.all().delete()
        Space.objects.filter(pk=space.pk).update(trust_question="Quel est votre surnom ?")
