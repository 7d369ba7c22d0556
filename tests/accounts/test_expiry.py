"""R-EXP-4 reminders and the support unblock command (SPEC §4: support lifts a delay)."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEvent
from accounts.services import expiry
from core.throttle import Throttle
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db
CHANGED = datetime(2026, 2, 23, 15, 0, tzinfo=UTC)  # valid until 22/02/2029 (R-PWD-6)


@pytest.fixture
def space(time_machine):
    time_machine.move_to(CHANGED, tick=False)
    return SpaceFactory(login_email="lila@exemple.fr")


def test_r_exp_4_sixty_days_before_the_last_day_and_not_sixty_one(space):
    assert space.password_expires_on == date(2029, 2, 22)
    assert expiry.send_reminders(date(2028, 12, 23)) == 0  # 61 days before
    assert expiry.send_reminders(date(2028, 12, 24)) == 1  # 60 days before
    mail = OutboxEmail.objects.get()
    assert mail.to == "lila@exemple.fr"
    body = decrypt_body(mail)
    assert "expire le 22 février 2029 (heure de Paris), dans 60 jours" in body


def test_r_exp_4_each_reminder_is_sent_once_per_password(space):
    for day in (date(2028, 12, 24), date(2028, 12, 25), date(2029, 1, 30)):
        expiry.send_reminders(day)
    assert OutboxEmail.objects.count() == 1
    assert expiry.send_reminders(date(2029, 2, 15)) == 1  # 7 days before
    assert expiry.send_reminders(date(2029, 2, 16)) == 0
    assert OutboxEmail.objects.count() == 2
    # A new password has a new date: its reminders will be sent again, in three years.
    from accounts.services import passwords

    passwords.set_password(space, raw="Un tout nouveau mot de passe pour 2029 !", at=CHANGED + timedelta(days=1090))
    assert expiry.send_reminders(date(2029, 2, 16)) == 0


def test_r_exp_4_a_late_run_sends_one_email_not_two(space):
    assert expiry.send_reminders(date(2029, 2, 19)) == 1  # 3 days left, nothing sent before
    assert expiry.send_reminders(date(2029, 2, 20)) == 0
    assert "dans 3 jours" in decrypt_body(OutboxEmail.objects.get())


def test_r_exp_4_no_reminder_after_expiry_nor_for_certificate_spaces(space):
    SpaceFactory(access_mode="certificate", login_email=None, contact_email="c@exemple.fr")
    assert expiry.send_reminders(date(2029, 2, 23)) == 0


def test_r_exp_4_the_command_prints_what_it_queued(space, time_machine):
    time_machine.move_to(datetime(2029, 2, 1, 12, tzinfo=UTC), tick=False)
    out = StringIO()
    call_command("send_expiry_reminders", stdout=out)
    assert "1 rappel(s)" in out.getvalue()


def test_r_throttle_1_support_lifts_an_accounts_delay(client):
    space = SpaceFactory(login_email="bloque@exemple.fr")
    for _ in range(5):
        journey.login(client, "bloque@exemple.fr", "un mauvais mot de passe de vingt caractères")
    assert journey.login(client, "bloque@exemple.fr").status_code == 400  # blocked
    call_command("unblock", space.subscriber_number, stdout=StringIO())
    assert journey.login(client, "bloque@exemple.fr").status_code == 302
    assert AuditEvent.objects.filter(kind="accounts.account_unblocked", space=space).exists()


def test_r_throttle_1_unblock_takes_an_email_without_a_space_and_refuses_unknown_numbers():
    throttle = Throttle.default()
    for _ in range(5):
        throttle.failed(account="inconnu@exemple.fr", address=None)
    assert not throttle.allows(account="inconnu@exemple.fr", address=None)
    call_command("unblock", "Inconnu@Exemple.fr", stdout=StringIO())
    assert throttle.allows(account="inconnu@exemple.fr", address=None)
    with pytest.raises(CommandError):
        call_command("unblock", "20260540000999", stdout=StringIO())


def test_periodic_runs_the_purges_and_the_daily_tasks_once(space, time_machine):
    """bin/serve's periodic command: housekeeping, then R-EXP-4 reminders of the Paris day."""
    time_machine.move_to(datetime(2029, 2, 1, 12, tzinfo=UTC), tick=False)
    out = StringIO()
    call_command("periodic", once=True, stdout=out)
    assert "demandes : 0" in out.getvalue() and "1 rappel(s)" in out.getvalue()
    assert OutboxEmail.objects.count() == 1
