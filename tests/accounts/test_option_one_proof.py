"""J8 (issue 13 item 3): the option's true date, one proof of the mailbox outside the space,
and an activation page and stepper that fit the lost-certificate path."""

import csv
import html
import io
import re

import pytest

from codes.events import Kind as CodesEvent
from django.test import Client

from accounts.kinds import Kind
from accounts.models import AccessMode, Space
from accounts.services import pki
from accounts.certificate_import import HEADER, import_csv
from codes.models import PendingRequest
from core import clock
from core.messages import message
from core.models import AuditEvent
from mailer.models import OutboxEmail
from tests.accounts import journey
from tests.accounts.certs import client_cert
from tests.accounts.option_steps import (
    CABINET,
    ask_recovery,
    certificate_login,
    certificate_space,
    credentials,
    opt_inside,
    recovery_code,
    trust,
)
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "/option-sans-certificat"
INSIDE = "/espace/option-sans-certificat"
LOST_CERTIFICATE_WORDS = "seul le certificat que vous utilisez jusqu'à présent vous permettra l'accès"


def text(response) -> str:
    return html.unescape(response.content.decode())


def proven_outside(client, space) -> None:
    """Outside: number + email on file, then the 1 h code: the wizard starts."""
    ask_recovery(client, space.subscriber_number, CABINET)
    code = recovery_code(CABINET)
    passed = client.post(f"{OUTSIDE}/code", {"subscriber_number": space.subscriber_number, "code": code})
    assert passed.url == f"{OUTSIDE}/identifiants"


# 1. The final page's date


def test_j8_done_page_claims_no_inscription_date_for_an_imported_space(client):
    """An imported certificate space's created_at is the day of its import, not of its inscription."""
    values = {
        "numero_abonne": "20111710000303", "civilite": "Madame", "nom": "Rosemonde", "prenom": "Lila",
        "adresse_electronique": CABINET, "telephone": "01 24 57 88 77", "numero_voie": "", "nature_voie": "",
        "libelle_voie": "", "complement_adresse": "", "code_postal": "75011", "ville": "Paris", "pays": "France",
        "entreprise_etrangere": "non", "siren": "732 829 320", "question_confiance": "",
        "certificat": client_cert(pki.make_ca("AC de test", now=clock.now())).cert_pem.decode(),
    }  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([HEADER, [values[column] for column in HEADER]])
    imported_at = clock.now()
    assert import_csv(out.getvalue().encode(), now=imported_at).imported == ["20111710000303"]
    space = Space.objects.get(subscriber_number="20111710000303")
    assert space.created_at == imported_at  # what the import knows: the day it ran
    opt_inside(client, space, "lila@exemple.fr")
    journey.activate(client, journey.last_code("lila@exemple.fr"), "lila@exemple.fr")
    done = text(client.get("/activation/recapitulatif"))
    assert "Votre inscription est enregistrée sous le numéro 20111710000303." in re.sub(r"<[^>]+>", "", done)
    assert "réalisée le" not in done
    assert clock.long_date(clock.paris(clock.now()).date()) not in done


# 2. One proof of the mailbox outside the space


def test_j8_outside_email_just_proven_applies_the_option_at_once(client):
    """The login email chosen is the one the 1 h code proved: no second code, no second captcha."""
    space = certificate_space()
    proven_outside(client, space)
    form = text(client.get(f"{OUTSIDE}/identifiants"))
    assert f"Si vous gardez l'adresse {CABINET}, qui vient de recevoir votre code" in form
    assert credentials(client, OUTSIDE, "Cabinet@Exemple.fr").status_code == 302
    assert "sans autre code d'activation" in text(client.get(f"{OUTSIDE}/question"))
    mails_before = OutboxEmail.objects.count()
    applied = trust(client, OUTSIDE)
    assert applied.url == f"{OUTSIDE}/recapitulatif"
    space.refresh_from_db()
    assert space.access_mode == AccessMode.PASSWORD and space.login_email == CABINET
    assert OutboxEmail.objects.count() == mails_before  # no activation code sent
    assert not PendingRequest.objects.filter(kind=Kind.OPTION).exists()
    event = AuditEvent.objects.get(kind=CodesEvent.ACTIVATION_OK)
    assert event.space == space and event.detail["request_kind"] == Kind.OPTION and event.email == CABINET
    done = text(client.get(applied.url))
    assert "Votre espace avec certificat a bien été transformé en espace sans certificat." in done
    assert "Étape 5 sur 5" in done and space.subscriber_number in done
    assert client.get("/activation/recapitulatif.pdf").status_code == 200
    # The wizard is over: its steps start again from the number.
    assert client.get(f"{OUTSIDE}/question").url == f"{OUTSIDE}?reprise=1"
    assert journey.login(Client(), CABINET).url == "/espace"


def test_j8_outside_another_email_still_gets_its_activation_code(client):
    space = certificate_space()
    proven_outside(client, space)
    assert "sans autre code d'activation" not in text(client.get(f"{OUTSIDE}/question"))
    credentials(client, OUTSIDE, "lila@exemple.fr")
    assert trust(client, OUTSIDE).url == f"{OUTSIDE}/code-envoye"
    space.refresh_from_db()
    assert space.access_mode == AccessMode.CERTIFICATE
    assert PendingRequest.objects.get(kind=Kind.OPTION).email == "lila@exemple.fr"


def test_j8_inside_the_contact_email_still_gets_its_activation_code(client):
    """Inside, the certificate session proves the space, not the mailbox: nothing changes."""
    space = certificate_space()
    certificate_login(client, space)
    client.post(INSIDE)
    assert "qui vient de recevoir votre code" not in text(client.get(f"{INSIDE}/identifiants"))
    credentials(client, INSIDE, CABINET)
    assert trust(client, INSIDE).url == f"{INSIDE}/code-envoye"
    space.refresh_from_db()
    assert space.access_mode == AccessMode.CERTIFICATE
    assert PendingRequest.objects.get(kind=Kind.OPTION).email == CABINET


def test_r_mail_3_at_once_refused_when_the_email_was_taken_meanwhile(client):
    """Another space takes the address between the two steps: nothing applied, back to the email."""
    space = certificate_space()
    proven_outside(client, space)
    credentials(client, OUTSIDE, CABINET)
    SpaceFactory(login_email=CABINET, contact_email=CABINET)
    refused = trust(client, OUTSIDE)
    assert refused.url == f"{OUTSIDE}/identifiants"
    assert message("option_email_taken") in text(client.get(refused.url))
    space.refresh_from_db()
    assert space.access_mode == AccessMode.CERTIFICATE and space.login_email is None
    assert not AuditEvent.objects.filter(kind=CodesEvent.ACTIVATION_OK).exists()


def test_r_mail_3_at_once_refused_when_a_live_request_holds_the_email(client):
    space = certificate_space()
    other = certificate_space(contact_email="autre@exemple.fr")
    proven_outside(client, space)
    credentials(client, OUTSIDE, CABINET)
    opt_inside(Client(), other, CABINET)  # another space's live OPTION request now holds it
    assert trust(client, OUTSIDE).url == f"{OUTSIDE}/identifiants"
    space.refresh_from_db()
    assert space.access_mode == AccessMode.CERTIFICATE


def test_j8_at_once_is_atomic_when_the_unique_login_refuses(client, monkeypatch):
    """A concurrent taker past the availability check: the unique login rolls everything back."""
    from codes import requests

    space = certificate_space()
    earlier = Client()
    opt_inside(earlier, space, "lila@exemple.fr")  # the space's pending request, to another address
    proven_outside(client, space)
    credentials(client, OUTSIDE, CABINET)
    SpaceFactory(login_email=CABINET, contact_email=CABINET)
    monkeypatch.setattr(requests, "check_available", lambda *args, **kwargs: None)
    assert trust(client, OUTSIDE).url == f"{OUTSIDE}/identifiants"
    space.refresh_from_db()
    assert space.access_mode == AccessMode.CERTIFICATE
    # The earlier request survived the rollback: its code still activates.
    assert PendingRequest.objects.filter(kind=Kind.OPTION, space=space, used_at__isnull=True).exists()


def test_j8_at_once_voids_the_space_pending_option_request(client):
    space = certificate_space()
    opt_inside(Client(), space, "lila@exemple.fr")
    code = journey.last_code("lila@exemple.fr")
    proven_outside(client, space)
    credentials(client, OUTSIDE, CABINET)
    assert trust(client, OUTSIDE).url == f"{OUTSIDE}/recapitulatif"
    assert not PendingRequest.objects.filter(kind=Kind.OPTION).exists()
    assert journey.activate(Client(), code, "lila@exemple.fr").status_code == 400
    space.refresh_from_db()
    assert space.login_email == CABINET


def test_j8_at_once_when_the_space_opted_meanwhile_starts_again(client):
    space = certificate_space()
    proven_outside(client, space)
    credentials(client, OUTSIDE, CABINET)
    # Opted by another browser after this trust page was shown: certificate_space() still
    # matched when the step began, opt_for_password no longer does.
    from accounts.flows import option as flow

    real = flow.certificate_space
    flow_calls = []

    def still_certificate(pk):
        found = real(pk)
        if found is not None and not flow_calls:
            flow_calls.append(pk)
            Space.objects.filter(pk=pk).update(access_mode=AccessMode.PASSWORD, login_email="autre@exemple.fr")
        return found

    try:
        flow.certificate_space = still_certificate
        lost = trust(client, OUTSIDE)
    finally:
        flow.certificate_space = real
    assert lost.url == f"{OUTSIDE}?reprise=1"
    space.refresh_from_db()
    assert space.login_email == "autre@exemple.fr"


def test_j8_outside_done_page_needs_this_session_to_have_opted(client):
    assert client.get(f"{OUTSIDE}/recapitulatif").url == OUTSIDE
    # A confirmation of another kind (J1's creation) is not the option's.
    journey.register(client)
    journey.activate(client, journey.last_code("lila.rosemonde@exemple.fr"), "lila.rosemonde@exemple.fr")
    assert client.get(f"{OUTSIDE}/recapitulatif").url == OUTSIDE


# 3. The activation page and the stepper of the lost-certificate path


def test_j8_outside_activation_page_does_not_promise_the_lost_certificate(client):
    space = certificate_space()
    proven_outside(client, space)
    credentials(client, OUTSIDE, "lila@exemple.fr")
    trust(client, OUTSIDE)
    sent = text(client.get(f"{OUTSIDE}/code-envoye"))
    assert LOST_CERTIFICATE_WORDS not in sent
    assert "votre espace reste un espace avec certificat" in sent
    inside = certificate_space(contact_email="autre@exemple.fr")
    assert LOST_CERTIFICATE_WORDS in text(opt_inside(Client(), inside, "nouvelle@exemple.fr"))


def test_j8_outside_stepper_advances_on_every_page(client):
    space = certificate_space()
    steps = []

    def step(response):
        found = re.search(r"Étape (\d) sur (\d)", text(response))
        steps.append(found and (int(found[1]), int(found[2])))

    step(client.get(OUTSIDE))
    ask_recovery(client, space.subscriber_number, CABINET)
    step(client.get(f"{OUTSIDE}/code"))
    client.post(f"{OUTSIDE}/code", {"subscriber_number": space.subscriber_number, "code": recovery_code(CABINET)})
    step(client.get(f"{OUTSIDE}/identifiants"))
    credentials(client, OUTSIDE, "lila@exemple.fr")
    step(client.get(f"{OUTSIDE}/question"))
    trust(client, OUTSIDE)
    step(client.get(f"{OUTSIDE}/code-envoye"))
    assert steps == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
