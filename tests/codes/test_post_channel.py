"""The postal channel plugs in without touching J2 (issue 12 item 2, R-ADH-3).

A kind of a test app, sent by post: its code goes to the letters outbox (never an email, never
the screen), the letters worker hands it over as a PDF in LETTER_SPOOL_DIR, the code is read
back from that PDF, and the one activation entry (/activation, with the login email) applies
it through the kind's own ``apply``.
"""

import os
import stat

import pytest
from django.db import transaction
from django.test import Client

from codes import letters, registry
from codes.errors import EmailUnavailable
from codes.letter_worker import hand_over_due
from codes.models import OutboxLetter, PendingRequest
from codes.process import CodeProcess
from core import clock
from core.models import AuditEvent
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.codes.letter_files import code_in, manifest_of, pdfs_in, text_of
from tests.codes.urls_post import ADDRESS, KIND
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"


def move_to_lyon(pending, payload, now):
    """The test kind's activation: what its app would apply, from the request's payload."""
    space = pending.space
    space.city = payload["city"]
    space.save(update_fields=["city"])
    return space


@pytest.fixture
def post_kind(settings, tmp_path):
    settings.LETTER_SPOOL_DIR = tmp_path / "courriers"
    registry.register(
        name=KIND,
        label="Adhésion (essai)",
        life="ACTIVATION_CODE_TTL",
        channel="post",
        holds_email=False,
        available=registry.always_available,
        message="codes/letters/activation.html",
        apply=move_to_lyon,
        done_template="espace/creation/activated.html",
        replaces_previous=True,
    )
    yield settings.LETTER_SPOOL_DIR
    registry.unregister(KIND)


def test_post_kind_code_goes_by_letter_and_j2_applies_it(client, post_kind, settings):
    settings.ROOT_URLCONF = "tests.codes.urls_post"
    space = SpaceFactory(login_email=EMAIL, city="PARIS")
    assert journey.login(client, EMAIL).status_code == 302
    mails_before = OutboxEmail.objects.count()
    asked = client.get("/essai/adhesion")
    assert pdfs_in(post_kind) == []  # in the outbox, not yet handed over
    assert hand_over_due() == 1
    [letter] = pdfs_in(post_kind)
    code = code_in(letter)
    text = text_of(letter)
    assert "\n".join(ADDRESS) in text and "valable jusqu'au" in text
    assert manifest_of(letter)["address"] == ADDRESS
    assert code not in asked.content.decode()  # the code is never on screen
    assert OutboxEmail.objects.count() == mails_before  # nor in any email
    assert PendingRequest.objects.get(kind=KIND).held_email is None

    done = journey.activate(client, code, EMAIL)
    assert done.status_code == 302 and done.url == "/activation/recapitulatif"
    page = client.get(done.url).content.decode()
    assert space.subscriber_number in page
    space.refresh_from_db()
    assert space.city == "LYON"
    assert AuditEvent.objects.filter(kind="codes.activation_ok", detail__request_kind=KIND).count() == 1
    assert journey.activate(Client(), code, EMAIL).status_code == 400  # once (R-CODE-1)


def test_a_letter_leaves_only_with_its_transaction(post_kind):
    space = SpaceFactory(login_email=EMAIL)
    with pytest.raises(EmailUnavailable):
        with transaction.atomic():
            CodeProcess.initiate(kind=KIND, email=EMAIL, payload={}, now=clock.now(), space=space, address=ADDRESS)
            raise EmailUnavailable(EMAIL)  # whatever makes the change roll back
    assert hand_over_due() == 0
    assert pdfs_in(post_kind) == [] and not PendingRequest.objects.exists() and not OutboxLetter.objects.exists()
    CodeProcess.initiate(kind=KIND, email=EMAIL, payload={}, now=clock.now(), space=space, address=ADDRESS)
    assert hand_over_due() == 1
    [letter] = pdfs_in(post_kind)
    assert stat.S_IMODE(os.stat(letter).st_mode) == 0o600  # it holds a code: its owner only reads it


def test_a_post_kind_needs_the_address_lines(post_kind):
    space = SpaceFactory(login_email=EMAIL)
    for address in (None, [], "10 rue de la Paix, 75002 PARIS"):
        with pytest.raises(ValueError, match="by post"):
            CodeProcess.initiate(kind=KIND, email=EMAIL, payload={}, now=clock.now(), space=space, address=address)
    assert not PendingRequest.objects.exists()


def test_the_letters_backend_is_the_one_settings_name(settings):
    assert isinstance(letters.backend(), letters.OutboxLetters)
    settings.LETTERS_BACKEND = "tests.codes.test_post_channel.KeptLetters"
    assert isinstance(letters.backend(), KeptLetters)


class KeptLetters:
    """A letters implementation of a test: the Protocol is all a backend needs."""

    def send(self, *, address, template, context):
        pass
