"""J8 "Opter pour l'accès sans certificat" (guide 004) through the Django test client:
inside the space and from the login page, up to the J2 activation and a password login."""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.test import Client

from antirobot.testing import captcha_post_data
from core import clock
from core.messages import message
from accounts.sessions import AUTH_AT_KEY, SEEN_AT_KEY
from accounts.models import AccessMode, PasswordHistory, Space
from core.models import AuditEvent
from accounts.kinds import Kind
from codes.models import PendingRequest
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.accounts.option_steps import (
    CABINET,
    NEW_ANSWER,
    ask_recovery,
    certificate_login,
    certificate_space,
    credentials,
    opt_inside,
    recovery_code,
    trust,
)
from tests.factories import OTHER_STRONG_PASSWORD, STRONG_PASSWORD, SpaceFactory

pytestmark = pytest.mark.django_db

# Inside the space


def test_home_shows_the_option_link_to_certificate_spaces_only(client):
    space = certificate_space()
    certificate_login(client, space)
    assert "Opter pour l'accès sans certificat" in client.get("/espace").content.decode()
    client.logout()
    client.force_login(SpaceFactory())
    session = client.session
    session[AUTH_AT_KEY] = session[SEEN_AT_KEY] = clock.now().timestamp()
    session.save()
    assert "option-sans-certificat" not in client.get("/espace").content.decode()
    # A password space has nothing to opt for: every step sends it home.
    for url in ("", "/identifiants", "/question", "/code-envoye"):
        assert client.get(f"/espace/option-sans-certificat{url}").url == "/espace"


def test_option_pages_need_a_session(client):
    assert client.get("/espace/option-sans-certificat").url == "/"


def test_j8_inside_up_to_password_login_same_number_data_kept(client):
    """J8, R-MAIL-3: the space keeps its number and data; only its access changes."""
    space = certificate_space(street_name="de la Paix", company_identifier="732829320")
    before = {f: getattr(space, f) for f in ("subscriber_number", "contact_email", "street_name", "created_at", "city")}
    certificate_login(client, space)
    page = client.get("/espace/option-sans-certificat").content.decode()
    assert "irrévocable" in page
    client.post("/espace/option-sans-certificat")
    form = html.unescape(client.get("/espace/option-sans-certificat/identifiants").content.decode())
    assert f'value="{CABINET}"' in form  # pre-filled with the contact email
    assert "Important : cette adresse électronique ne pourra être utilisée que pour un seul et unique espace" in form
    assert 'data-strength-meter="password-level"' in form
    sent = opt_inside(client, space, "lila@exemple.fr")
    body = sent.content.decode()
    assert "Activation de votre espace abonné" in body and "lila@exemple.fr" in body
    assert "Activez votre espace abonné" in body and "48h" in body
    pending = PendingRequest.objects.get(kind=Kind.OPTION)
    assert pending.space == space and pending.held_email == "lila@exemple.fr"
    # Hashes only in the payload (and, before that, in the session).
    assert check_password(STRONG_PASSWORD, pending.payload["password_hash"])
    assert check_password(NEW_ANSWER, pending.payload["trust_answer_hash"])
    assert STRONG_PASSWORD not in str(pending.payload) and NEW_ANSWER not in str(client.session.items())
    # Until activation, nothing of the space changed: only the certificate opens it.
    space.refresh_from_db()
    assert space.access_mode == AccessMode.CERTIFICATE and space.login_email is None
    assert journey.login(Client(), "lila@exemple.fr").status_code == 400

    activated = journey.activate(client, journey.last_code("lila@exemple.fr"), "lila@exemple.fr")
    assert activated.status_code == 302
    done = html.unescape(client.get("/activation/recapitulatif").content.decode())
    assert "Votre espace avec certificat a bien été transformé en espace sans certificat." in done
    assert "Vous conservez le même numéro d'abonné." in done
    assert space.subscriber_number in done and "/activation/recapitulatif.pdf" in done
    assert client.get("/activation/recapitulatif.pdf").status_code == 200

    space.refresh_from_db()
    assert space.access_mode == AccessMode.PASSWORD and space.login_email == "lila@exemple.fr"
    assert {f: getattr(space, f) for f in before} == before
    assert space.trust_question == "Quel est votre plat préféré ?"
    assert check_password(NEW_ANSWER, space.trust_answer_hash)
    assert space.password_expires_on is not None
    assert not PasswordHistory.objects.filter(space=space).exists()  # the certificate had no password
    assert Space.objects.count() == 1
    assert journey.login(client, "lila@exemple.fr").url == "/espace"
    assert space.subscriber_number in client.get("/espace").content.decode()


def test_j8_activation_ends_the_certificate_sessions(client):
    space = certificate_space()
    other_browser = Client()
    certificate_login(other_browser, space)
    assert other_browser.get("/espace").status_code == 200
    opt_inside(client, space, "lila@exemple.fr")
    assert other_browser.get("/espace").status_code == 200  # until activation, the certificate opens it
    journey.activate(Client(), journey.last_code("lila@exemple.fr"), "lila@exemple.fr")
    assert other_browser.get("/espace").url == "/"
    assert client.get("/espace").url == "/"


def test_j8_a_new_option_request_replaces_the_pending_one(client):
    space = certificate_space()
    opt_inside(client, space, "premier@exemple.fr")
    first_code = journey.last_code("premier@exemple.fr")
    opt_inside(client, space, "second@exemple.fr")
    assert PendingRequest.objects.filter(kind=Kind.OPTION).count() == 1
    refused = journey.activate(client, first_code, "premier@exemple.fr")
    assert refused.status_code == 400
    # The first address is free again (its claim went with the request).
    assert journey.activate(client, journey.last_code("second@exemple.fr"), "second@exemple.fr").status_code == 302
    space.refresh_from_db()
    assert space.login_email == "second@exemple.fr"


def test_r_mail_3_a_shared_certificate_email_is_taken_by_one_only(client):
    """R-MAIL-3: several certificate spaces share the cabinet's address; the first keeps it."""
    first, second = certificate_space(), certificate_space()
    opt_inside(client, first, CABINET)
    certificate_login(client, second)
    client.post("/espace/option-sans-certificat")
    refused = credentials(client, "/espace/option-sans-certificat", CABINET)
    assert refused.status_code == 400
    assert message("option_email_taken") in html.unescape(refused.content.decode())
    journey.activate(client, journey.last_code(CABINET), CABINET)
    # Activated: the address is now a login; the second space is still told to choose another.
    certificate_login(client, second)
    client.post("/espace/option-sans-certificat")
    assert credentials(client, "/espace/option-sans-certificat", CABINET).status_code == 400
    assert credentials(client, "/espace/option-sans-certificat", "collaborateur@exemple.fr").status_code == 302


def test_r_mail_3_email_taken_between_the_two_steps(client):
    space, other = certificate_space(), certificate_space()
    certificate_login(client, space)
    client.post("/espace/option-sans-certificat")
    credentials(client, "/espace/option-sans-certificat", "pris@exemple.fr")
    SpaceFactory(login_email="pris@exemple.fr")
    response = trust(client, "/espace/option-sans-certificat")
    assert response.url == "/espace/option-sans-certificat/identifiants"
    assert "Choisissez une autre adresse" in client.get(response.url).content.decode()
    assert not PendingRequest.objects.exists()
    assert other.access_mode == AccessMode.CERTIFICATE


def test_j8_password_rules_apply_with_the_space_data(client):
    """R-PWD-*: validate_password with the space (its names and number count against it)."""
    space = certificate_space()
    certificate_login(client, space)
    client.post("/espace/option-sans-certificat")
    short = credentials(client, "/espace/option-sans-certificat", "lila@exemple.fr", "court")
    assert short.status_code == 400
    own_data = f"{space.subscriber_number}Rosemonde"
    own = credentials(client, "/espace/option-sans-certificat", "lila@exemple.fr", own_data)
    assert own.status_code == 400
    mismatch = credentials(
        client, "/espace/option-sans-certificat", "lila@exemple.fr", password_confirm=OTHER_STRONG_PASSWORD
    )
    assert mismatch.status_code == 400
    other_email = credentials(client, "/espace/option-sans-certificat", "lila@exemple.fr", email_confirm="x@exemple.fr")
    assert other_email.status_code == 400
    assert not PendingRequest.objects.exists()


def test_j8_steps_in_order_and_back(client):
    space = certificate_space()
    certificate_login(client, space)
    # Steps without the warning acknowledged: back to the start, with a notice.
    lost = client.get("/espace/option-sans-certificat/identifiants")
    assert lost.url == "/espace/option-sans-certificat?reprise=1"
    assert message("option_lost") in html.unescape(client.get(lost.url).content.decode())
    assert client.get("/espace/option-sans-certificat/code-envoye").url == "/espace/option-sans-certificat"
    client.post("/espace/option-sans-certificat")
    assert client.get("/espace/option-sans-certificat/question").url == "/espace/option-sans-certificat/identifiants"
    credentials(client, "/espace/option-sans-certificat", "lila@exemple.fr")
    page = client.get("/espace/option-sans-certificat/question").content.decode()
    assert "lila@exemple.fr" in page and "Sélectionnez une question de confiance" in page
    back = client.post("/espace/option-sans-certificat/question", {"action": "back"})
    assert back.url == "/espace/option-sans-certificat/identifiants"
    again = client.get(back.url).content.decode()
    assert 'value="lila@exemple.fr"' in again
    assert trust(client, "/espace/option-sans-certificat", answer="").status_code == 400


def test_j8_a_wizard_of_another_space_is_not_reused(client):
    space, other = certificate_space(), certificate_space()
    certificate_login(client, space)
    client.post("/espace/option-sans-certificat")
    session_state = client.session["espace_option"]
    certificate_login(client, other)  # force_login keeps the session data
    session = client.session
    session["espace_option"] = session_state
    session.save()
    assert client.get("/espace/option-sans-certificat/identifiants").url.endswith("?reprise=1")


def test_j8_option_code_refused_once_the_space_opted_otherwise(client):
    """A space that is no longer a certificate space refuses an option code like a wrong one."""
    space = certificate_space()
    opt_inside(client, space, "lila@exemple.fr")
    code = journey.last_code("lila@exemple.fr")
    Space.objects.filter(pk=space.pk).update(access_mode=AccessMode.PASSWORD, login_email="autre@exemple.fr")
    assert journey.activate(client, code, "lila@exemple.fr").status_code == 400
    assert PendingRequest.objects.get().used_at is None  # nothing half-written


# Outside the space, from the login page


def test_login_page_links_to_the_option_outside(client):
    body = html.unescape(client.get("/").content.decode())
    assert 'href="/option-sans-certificat"' in body and "J'opte pour l'accès avec un mot de passe" in body


def test_j8_outside_up_to_password_login(client):
    space = certificate_space()
    asked = ask_recovery(client, f"{space.subscriber_number[:4]} {space.subscriber_number[4:]}", "CABINET@exemple.fr")
    assert asked.url == "/option-sans-certificat/code"
    page = client.get(asked.url).content.decode()
    assert message("option_recovery_sent") in html.unescape(page)
    assert f'value="{space.subscriber_number}"' in page
    mail = OutboxEmail.objects.get(to=CABINET)
    body = decrypt_body(mail)
    assert "1 heure" in body and space.subscriber_number in body
    pending = PendingRequest.objects.get(kind=Kind.OPTION_RECOVERY)
    assert pending.expires_at - pending.created_at == timedelta(hours=1)
    code = recovery_code(CABINET)
    assert len(code) == 12
    passed = client.post("/option-sans-certificat/code", {"subscriber_number": space.subscriber_number, "code": code})
    assert passed.url == "/option-sans-certificat/identifiants"
    assert f'value="{CABINET}"' in client.get(passed.url).content.decode()
    assert credentials(client, "/option-sans-certificat", "lila@exemple.fr").status_code == 302
    assert trust(client, "/option-sans-certificat").status_code == 302
    sent = client.get("/option-sans-certificat/code-envoye").content.decode()
    assert "Activez votre espace abonné" in sent and "lila@exemple.fr" in sent
    assert journey.activate(client, journey.last_code("lila@exemple.fr"), "lila@exemple.fr").status_code == 302
    assert "Vous conservez le même numéro" in client.get("/activation/recapitulatif").content.decode()
    assert journey.login(client, "lila@exemple.fr").url == "/espace"
    space.refresh_from_db()
    assert space.access_mode == AccessMode.PASSWORD and Space.objects.count() == 1
    # The recovery code was used once: it cannot start a second wizard.
    client.logout()
    again = client.post("/option-sans-certificat/code", {"subscriber_number": space.subscriber_number, "code": code})
    assert again.status_code == 400


def test_j8_outside_never_tells_whether_the_number_exists(client):
    """SPEC §4: same page, same status, same redirect whether the number exists or not."""
    space = certificate_space()
    known = ask_recovery(client, space.subscriber_number, CABINET)
    unknown = ask_recovery(client, "20260540999999", CABINET)
    wrong_email = ask_recovery(client, space.subscriber_number, "autre@exemple.fr")
    password_space = SpaceFactory()
    not_certificate = ask_recovery(client, password_space.subscriber_number, password_space.contact_email)
    answers = {(r.status_code, r.url) for r in (known, unknown, wrong_email, not_certificate)}
    assert answers == {(302, "/option-sans-certificat/code")}
    assert OutboxEmail.objects.count() == 1  # only the matching certificate space got a code
    assert PendingRequest.objects.count() == 1  # the misses' rehearsals were rolled back
    # The code page each answer leads to is the same page (the typed number aside).
    pages = set()
    for number, email in ((space.subscriber_number, CABINET), ("20260540999999", CABINET)):
        browser = Client()
        ask_recovery(browser, number, email)
        body = browser.get("/option-sans-certificat/code").content.decode().replace(number, "N")
        pages.add(re.sub(r'(csrfmiddlewaretoken" value=)"[^"]+"', r"\1", body))
    assert len(pages) == 1


def test_j8_outside_wrong_code_and_unknown_number_answer_alike(client):
    space = certificate_space()
    ask_recovery(client, space.subscriber_number, CABINET)
    code = recovery_code(CABINET)
    number = space.subscriber_number
    wrong = client.post("/option-sans-certificat/code", {"subscriber_number": number, "code": "A" * 12})
    unknown = client.post("/option-sans-certificat/code", {"subscriber_number": "20260540999999", "code": code})
    assert wrong.status_code == unknown.status_code == 400
    refusal = message("option_code_refused")
    assert refusal in html.unescape(wrong.content.decode()) and refusal in html.unescape(unknown.content.decode())
    # Another certificate space sharing the address cannot use this space's code.
    other = certificate_space()
    stolen = client.post("/option-sans-certificat/code", {"subscriber_number": other.subscriber_number, "code": code})
    assert stolen.status_code == 400
    assert client.get("/option-sans-certificat/identifiants").url == "/option-sans-certificat?reprise=1"


def test_j8_outside_code_expires_after_one_hour(client):
    space = certificate_space()
    ask_recovery(client, space.subscriber_number, CABINET)
    code = recovery_code(CABINET)
    with time_machine.travel(clock.now() + timedelta(minutes=61)):
        late = client.post("/option-sans-certificat/code", {"subscriber_number": space.subscriber_number, "code": code})
    assert late.status_code == 400


def test_j8_outside_wizard_lasts_one_hour_after_the_code(client):
    space = certificate_space()
    ask_recovery(client, space.subscriber_number, CABINET)
    client.post(
        "/option-sans-certificat/code", {"subscriber_number": space.subscriber_number, "code": recovery_code(CABINET)}
    )
    start = clock.now()
    # The session itself stays alive (each step saves it; 30 min idle): the 1 h limit is the wizard's.
    for minutes in (25, 50):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert credentials(client, "/option-sans-certificat", "lila@exemple.fr").status_code == 302
    with time_machine.travel(start + timedelta(minutes=61)):
        assert client.get("/option-sans-certificat/identifiants").url == "/option-sans-certificat?reprise=1"


def test_r_throttle_1_outside_code_checks_are_throttled_per_number(client):
    """Wrong codes count against the subscriber number: the right one is then refused too."""
    space = certificate_space()
    ask_recovery(client, space.subscriber_number, CABINET)
    code = recovery_code(CABINET)
    for _ in range(5):
        client.post("/option-sans-certificat/code", {"subscriber_number": space.subscriber_number, "code": "B" * 12})
    blocked = client.post("/option-sans-certificat/code", {"subscriber_number": space.subscriber_number, "code": code})
    assert blocked.status_code == 400
    assert AuditEvent.objects.filter(kind="accounts.option_recovery_refused", detail__reason="throttled").exists()
    assert PendingRequest.objects.get().used_at is None


def test_outside_requests_are_capped_per_number_and_per_address(client, settings):
    space = certificate_space()
    limit = settings.THROTTLE_POLICIES["option_recoveries_per_number"]["limit"]
    for _ in range(limit):
        assert ask_recovery(client, space.subscriber_number, CABINET).status_code == 302
    capped = ask_recovery(client, space.subscriber_number, CABINET)
    assert capped.status_code == 400
    assert "Trop de demandes" in capped.content.decode()
    # Each new request replaced the previous one: one live code at a time.
    assert PendingRequest.objects.filter(used_at__isnull=True).count() == 1
    per_address = settings.THROTTLE_POLICIES["option_recoveries_per_address"]["limit"]
    for n in range(per_address - limit):
        ask_recovery(client, f"2026054{n:07d}", CABINET)
    assert ask_recovery(client, "20260549999999", CABINET).status_code == 400


def test_outside_forms_refuse_bad_numbers_and_captchas(client):
    page = client.get("/option-sans-certificat")
    bad = client.post(
        "/option-sans-certificat", {"subscriber_number": "12345", "email": CABINET, **captcha_post_data(page)}
    )
    assert bad.status_code == 400 and "14 chiffres" in bad.content.decode()
    no_captcha = client.post("/option-sans-certificat", {"subscriber_number": "20260540000001", "email": CABINET})
    assert no_captcha.status_code == 400
    bad_code = client.post("/option-sans-certificat/code", {"subscriber_number": "20260540000001", "code": "court"})
    assert bad_code.status_code == 400
    assert not OutboxEmail.objects.exists() and not PendingRequest.objects.exists()


def test_outside_sent_page_without_a_request_goes_back(client):
    assert client.get("/option-sans-certificat/code-envoye").url == "/option-sans-certificat"
    assert client.get("/option-sans-certificat/question").url == "/option-sans-certificat?reprise=1"


def test_r_mail_3_creation_with_a_certificate_email_links_to_the_option(client):
    """J1 step 2 refuses a certificate space's email and links to the option outside."""
    certificate_space()
    journey.start(client)
    refused = journey.credentials(client, CABINET)
    body = html.unescape(refused.content.decode())
    assert refused.status_code == 400 and message("email_certificate") in body
    assert 'href="/option-sans-certificat"' in body
    assert client.get("/option-sans-certificat").status_code == 200


def test_j8_outside_wizard_stops_once_the_space_opted(client):
    """A space that opted meanwhile (another browser) ends this wizard: back to the start."""
    space = certificate_space()
    ask_recovery(client, space.subscriber_number, CABINET)
    code = recovery_code(CABINET)
    client.post("/option-sans-certificat/code", {"subscriber_number": space.subscriber_number, "code": code})
    Space.objects.filter(pk=space.pk).update(access_mode=AccessMode.PASSWORD, login_email="autre@exemple.fr")
    assert client.get("/option-sans-certificat/identifiants").url == "/option-sans-certificat?reprise=1"


def test_j8_outside_a_miss_does_the_work_of_a_match(client):
    """SPEC §4 timing: a miss rehearses the match's writes (rolled back), query for query.

    Measured medians are in docs/decisions.md; comparing the writes keeps the test steady on a
    shared machine.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request_tables = {"espace_pendingrequest", "mailer_outboxemail", "espace_auditevent"}
    space = certificate_space()
    counts = {}
    for kind, number in (("match", space.subscriber_number), ("miss", "20260540999999")):
        browser = Client()
        page = browser.get("/option-sans-certificat")
        data = {"subscriber_number": number, "email": CABINET, **captcha_post_data(page)}
        with CaptureQueriesContext(connection) as queries:
            assert browser.post("/option-sans-certificat", data).status_code == 302
        inserted = re.findall(r'INSERT INTO "(\w+)"', " ".join(q["sql"] for q in queries))
        counts[kind] = sorted(table for table in inserted if table in request_tables)
    assert counts["match"] == counts["miss"] == sorted(request_tables), counts
