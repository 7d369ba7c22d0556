"""J6 password expiry (guide 002): R-PWD-6 dates, R-EXP-1 alert, R-EXP-2/3 "Mot de passe expiré"."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse

from antirobot.testing import captcha_post_data
from accounts.flows.login import open_session
from core.models import AuditEvent
from accounts.models import Space
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.factories import OTHER_STRONG_PASSWORD, STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db
EMAIL = "lila@exemple.fr"
CHANGED = datetime(2026, 2, 23, 15, 0, tzinfo=UTC)  # valid until 22/02/2029 (R-PWD-6)
NEW_PASSWORD = "Une girafe mauve traverse le pont d'Avignon 2029"
WRONG = "un mauvais mot de passe de vingt caractères"


@pytest.fixture
def space(time_machine):
    time_machine.move_to(CHANGED, tick=False)
    return SpaceFactory(login_email=EMAIL)


def at(time_machine, day: date, hour: int = 12):
    """Move the clock to day at hour, Paris summer or winter alike (UTC noon is Paris afternoon)."""
    time_machine.move_to(datetime(day.year, day.month, day.day, hour, tzinfo=UTC), tick=False)


# --- R-PWD-6 -------------------------------------------------------------------------------------


def test_r_pwd_6_changed_23_02_2026_valid_until_22_02_2029_then_refused_through_the_login(client, space, time_machine):
    assert space.password_expires_on == date(2029, 2, 22)
    at(time_machine, date(2029, 2, 22), hour=22)  # 23:00 in Paris, the last valid day
    response = journey.login(client, EMAIL)
    assert response.status_code == 302 and response["Location"] == "/espace/alerte-expiration"
    page = client.get("/espace").content.decode()
    assert "Expiration du mot de passe : 22/02/2029" in page  # the header (R-PWD-6)
    client.post("/deconnexion")
    at(time_machine, date(2029, 2, 22), hour=23)  # 00:00 in Paris, 23/02/2029
    response = journey.login(client, EMAIL)
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-expire"
    assert client.get("/espace").status_code == 302  # no session (R-EXP-2)
    assert not client.session.get("_auth_user_id")


def test_r_pwd_6_certificate_space_header_shows_no_password_date(client, settings):
    space = SpaceFactory(login_email=EMAIL)
    Space.objects.filter(pk=space.pk).update(password_expires_on=None)  # a certificate space's shape
    request = RequestFactory().get("/")
    request.session = client.session
    open_session(request, Space.objects.get(pk=space.pk), method="certificate")
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    page = client.get("/espace")
    assert page.status_code == 200
    assert "Abonné : " in page.content.decode()
    assert "Expiration du mot de passe" not in page.content.decode()
    assert "bloqué" not in page.content.decode()


# --- R-EXP-1 -------------------------------------------------------------------------------------


def test_r_exp_1_alert_at_60_days_left_then_home_countdown(client, space, time_machine):
    at(time_machine, date(2028, 12, 24))  # 60 days before 22/02/2029
    response = journey.login(client, EMAIL)
    assert response.status_code == 302 and response["Location"] == "/espace/alerte-expiration"
    alert = client.get("/espace/alerte-expiration").content.decode()
    assert "Votre mot de passe expire le 22 février 2029 (heure de Paris)." in alert
    assert "Pensez à le modifier depuis votre espace professionnel." in alert
    assert "À défaut, l'accès à votre espace sera désactivé." in alert
    assert 'href="/espace">OK</a>' in alert
    home = client.get("/espace").content.decode()
    assert "Attention, votre accès sera bloqué dans 60 jours." in home
    assert f'href="{reverse("espace:credentials")}?modifier=mot-de-passe">Modifier le mot de passe</a>' in home
    assert AuditEvent.objects.filter(kind="accounts.expiry_alert_shown", space=space).count() == 1


def test_r_exp_1_no_alert_at_61_days_left(client, space, time_machine):
    at(time_machine, date(2028, 12, 23))  # 61 days before
    response = journey.login(client, EMAIL)
    assert response.status_code == 302 and response["Location"] == "/espace"
    assert "bloqué dans" not in client.get("/espace").content.decode()
    # The alert page itself has nothing to say: back to the home.
    assert client.get("/espace/alerte-expiration")["Location"] == "/espace"


@pytest.mark.parametrize(("day", "shown"), [(date(2029, 2, 15), "7 jours"), (date(2029, 2, 22), "1 jour.")])
def test_r_exp_1_countdown_is_days_left_and_one_on_the_last_day(client, space, time_machine, day, shown):
    at(time_machine, day)
    journey.login(client, EMAIL)
    assert f"Attention, votre accès sera bloqué dans {shown}" in client.get("/espace").content.decode()


def test_r_exp_1_alert_needs_a_session(client):
    assert client.get("/espace/alerte-expiration")["Location"] == "/"


# --- R-EXP-2 / R-EXP-3: "Mot de passe expiré" ----------------------------------------------------


def expired_space(time_machine, email=EMAIL):
    time_machine.move_to(CHANGED, tick=False)
    space = SpaceFactory(login_email=email)
    at(time_machine, date(2029, 3, 1))
    return space


def step_1(client, email=EMAIL):
    page = client.get("/mot-de-passe-expire")
    assert page.status_code == 200
    return client.post("/mot-de-passe-expire", {"email": email, **captcha_post_data(page)})


def step_2(client, old=STRONG_PASSWORD, new=NEW_PASSWORD, confirm=None):
    data = {"old_password": old, "password": new, "password_confirm": new if confirm is None else confirm}
    return client.post("/mot-de-passe-expire/nouveau", data)


def test_r_exp_2_journey_from_the_login_to_a_new_password(client, time_machine):
    space = expired_space(time_machine)
    response = journey.login(client, EMAIL)
    assert response["Location"] == "/mot-de-passe-expire"
    # The login just proved the email behind a captcha: step 1 is passed with it (guide 002).
    assert client.get("/mot-de-passe-expire")["Location"] == "/mot-de-passe-expire/nouveau"
    second = client.get("/mot-de-passe-expire/nouveau").content.decode()
    assert "Votre mot de passe a expiré : renouvelez-le" in second and EMAIL in second
    assert "Saisissez votre ancien mot de passe" in second and "Étape 2 sur 3" in second
    # Once only: "Étape précédente" shows step 1 as usual.
    first = client.get("/mot-de-passe-expire").content.decode()
    assert "Adresse électronique de connexion" in first and "Étape 1 sur 3" in first
    assert step_1(client)["Location"] == "/mot-de-passe-expire/nouveau"
    assert "Recommandations" in second and "data-strength-meter" in second
    response = step_2(client)
    assert response.status_code == 302 and response["Location"] == "/mot-de-passe-expire/recapitulatif"
    done = client.get(response["Location"]).content.decode()
    for line in (
        "Votre mot de passe a été réinitialisé avec succès.",
        "Ce mot de passe est valable jusqu'au <strong>29 février 2032</strong>.",
        "Vous allez recevoir un courriel de confirmation.",
        "En cas d'oubli de votre mot de passe, vous devrez saisir votre réponse à la question de confiance.",
        "Vous pouvez dès à présent vous connecter à votre espace professionnel.",
    ):
        assert line in done
    space.refresh_from_db()
    assert space.password_expires_on == date(2032, 2, 29)  # 01/03/2029 + 3 years - 1 day
    mail = OutboxEmail.objects.get(to=EMAIL)
    assert mail.subject == "Espace professionnel - Modification du mot de passe"
    body = decrypt_body(mail)
    assert "Celui-ci est valable jusqu'au 29 février 2032." in body
    assert NEW_PASSWORD not in body and STRONG_PASSWORD not in body
    assert not client.session.get("_auth_user_id")  # no session opened by the renewal
    assert journey.login(client, EMAIL, NEW_PASSWORD)["Location"] == "/espace"
    assert AuditEvent.objects.filter(kind="accounts.password_renewed", space=space).count() == 1


def test_r_exp_2_after_a_minute_the_login_no_longer_spares_step_1(client, time_machine):
    expired_space(time_machine)
    journey.login(client, EMAIL)
    time_machine.shift(timedelta(minutes=1, seconds=1))
    first = client.get("/mot-de-passe-expire")
    assert first.status_code == 200 and "Étape 1 sur 3" in first.content.decode()
    assert "Votre mot de passe a expiré : renouvelez-le" in first.content.decode()


def test_r_exp_2_refusals_leave_the_password_and_the_outbox_untouched(client, time_machine):
    space = expired_space(time_machine)
    step_1(client)
    response = step_2(client, old=WRONG)
    assert response.status_code == 400
    assert "ancien mot de passe est incorrect" in response.content.decode()
    space.refresh_from_db()
    assert space.password_expires_on == date(2029, 2, 22)
    assert not OutboxEmail.objects.exists()
    assert AuditEvent.objects.filter(kind="accounts.renewal_refused", space=space).exists()


def test_r_pwd_3_new_password_must_differ_from_the_old_one(client, time_machine):
    expired_space(time_machine)
    step_1(client)
    response = step_2(client, new=STRONG_PASSWORD)
    assert response.status_code == 400
    assert "doit être différent de votre mot de passe actuel" in response.content.decode()


def test_r_pwd_3_history_is_checked_only_after_the_old_password(client, time_machine):
    space = expired_space(time_machine)
    from accounts.services import passwords

    time_machine.move_to(CHANGED, tick=False)
    passwords.set_password(space, raw=OTHER_STRONG_PASSWORD, at=CHANGED)  # STRONG_PASSWORD goes to history
    at(time_machine, date(2029, 3, 1))
    step_1(client)
    # A wrong old password with an old password as the new one: the generic refusal, no oracle.
    response = step_2(client, old=WRONG, new=STRONG_PASSWORD)
    assert "ancien mot de passe est incorrect" in response.content.decode()
    assert "différent de votre mot de passe actuel" not in response.content.decode()
    response = step_2(client, old=OTHER_STRONG_PASSWORD, new=STRONG_PASSWORD)
    assert response.status_code == 400
    assert "différent de votre mot de passe actuel" in response.content.decode()


def test_r_pwd_1_new_password_rules_and_confirmation(client, time_machine):
    expired_space(time_machine)
    step_1(client)
    assert "20 caractères minimum" in step_2(client, new="trop court").content.decode()
    assert "ne sont pas identiques" in step_2(client, confirm=NEW_PASSWORD + "x").content.decode()


def test_r_exp_2_step_2_needs_step_1_and_the_recap_needs_a_renewal(client):
    assert client.get("/mot-de-passe-expire/nouveau")["Location"] == "/mot-de-passe-expire"
    assert step_2(client)["Location"] == "/mot-de-passe-expire"
    assert client.get("/mot-de-passe-expire/recapitulatif")["Location"] == "/mot-de-passe-expire"
    page = client.get("/mot-de-passe-expire")
    response = client.post("/mot-de-passe-expire", {"email": EMAIL, **captcha_post_data(page), "captcha": "faux"})
    assert response.status_code == 400


def test_r_exp_2_not_expired_space_is_refused_even_with_its_right_password(client, space, time_machine):
    step_1(client)
    response = step_2(client)
    assert response.status_code == 400
    space.refresh_from_db()
    assert space.password_expires_on == date(2029, 2, 22)


def test_r_throttle_1_old_password_shares_the_login_counter(client, time_machine):
    expired_space(time_machine)
    step_1(client)
    for _ in range(5):
        step_2(client, old=WRONG)
    response = step_2(client)  # the right old password, but blocked
    assert response.status_code == 400
    assert AuditEvent.objects.filter(kind="accounts.renewal_refused", detail__reason="throttled").exists()
    assert not OutboxEmail.objects.exists()


def test_r_exp_3_expired_space_reaches_nothing(client, space, time_machine):
    journey.login(client, EMAIL)
    at(time_machine, date(2029, 2, 23))
    urls = ("/espace", "/espace/gerer", "/espace/recapitulatif.pdf", "/espace/historique", "/espace/alerte-expiration")
    for url in urls:
        assert client.get(url)["Location"] == "/", url
