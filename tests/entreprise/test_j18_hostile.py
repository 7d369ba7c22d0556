"""R-BANK-1, SPEC §4 "Bad input": hostile values in every field of "Ajouter un compte", and in
the recap and removal posts: never a 500, a French message by the field, nothing half-written."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from core.models import AuditEvent
from entreprise.models import BankAccount
from mailer.models import OutboxEmail
from tests.entreprise import bank
from tests.entreprise.bank import FORM
from tests.factories import SpaceFactory
from tests.habilitations import steps
from tests.hostile import FUZZ, HOSTILE

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
FIELDS = sorted(FORM)


@pytest.fixture
def logged(time_machine):
    time_machine.move_to(NOW, tick=False)
    space = SpaceFactory()
    bank.payer(space)
    client = Client(raise_request_exception=False)
    steps.enter(client, space)
    return client, space


@FUZZ
@given(name=st.sampled_from(FIELDS), value=HOSTILE)
def test_r_bank_1_hostile_field_never_a_500_nothing_written(logged, name, value):
    client, _ = logged
    accounts = BankAccount.objects.count()
    answer = client.post(bank.add_url(), {**FORM, name: value})
    assert answer.status_code in (302, 400), answer.status_code
    assert BankAccount.objects.count() == accounts  # the form step writes nothing
    if answer.status_code == 400:
        assert "fr-error-text" in answer.content.decode() or "fr-message--error" in answer.content.decode()
        return
    confirmed = client.post(bank.recap_url())  # accepted by the form: the account is added whole
    assert confirmed.status_code in (302, 409)
    if confirmed.status_code == 302:
        added = BankAccount.objects.order_by("-pk").first()
        assert added.iban_masked and added.holder and added.holder_address
        client.post(bank.remove_url(added))  # so that the next example may add it again


@FUZZ
@given(data=st.dictionaries(st.sampled_from([*FIELDS, "confirm", "pk", "csrfmiddlewaretoken"]), HOSTILE, max_size=6))
def test_r_bank_1_hostile_posts_to_recap_and_remove(logged, data):
    client, space = logged
    account = BankAccount.objects.filter(removed_at__isnull=True).first() or bank.add_account(space)
    before = (AuditEvent.objects.count(), OutboxEmail.objects.count())
    assert client.post(bank.recap_url(), data).status_code == 302  # no draft: back to the form
    assert (AuditEvent.objects.count(), OutboxEmail.objects.count()) == before
    assert client.get(bank.remove_url(account), data).status_code == 200


@pytest.mark.parametrize("path", ["abc", "-1", "99999999999999999999", "%00", "1.5"])
def test_r_bank_1_hostile_ids_in_the_path_are_404(logged, path):
    client, _ = logged
    assert client.get(f"{bank.accounts_url()}/{path}/mandat.pdf").status_code == 404
    assert client.post(f"{bank.accounts_url()}/{path}/supprimer").status_code == 404
    assert client.get("/espace/dossiers/%00/comptes-bancaires").status_code == 404
