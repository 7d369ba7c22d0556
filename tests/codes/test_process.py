"""The one code process (issue 12 item 2): initiate, resume, record_invalid_attempt, finish, abort,
and the guarded check every journey runs it through (R-CODE-*, R-THROTTLE-1)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.test import RequestFactory

from accounts.kinds import Kind
from codes import process, tokens
from codes.errors import (
    CodeExpired,
    CodeMalformed,
    CodeRefused,
    CodeThrottled,
    CodeUsed,
    CodeVoid,
    CodeWrong,
    EmailUnavailable,
)
from codes.models import PendingRequest
from codes.process import CodeProcess, Failed
from core import clock
from core.models import ThrottleCounter
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"


def initiate(kind=Kind.CREATION, email=EMAIL, space=None, payload=None):
    payload = {"secret_hash": "h"} if payload is None else payload
    with transaction.atomic():
        return CodeProcess.initiate(kind=kind, email=email, payload=payload, now=clock.now(), space=space)


def resume(code, email=EMAIL, kinds=(Kind.CREATION,), **extra):
    return CodeProcess.resume(code=code, email=email, kinds=kinds, now=clock.now(), **extra)


def request():
    return RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")


def test_r_code_1_initiate_stores_the_hash_only_and_sends_the_code():
    started = initiate()
    code = journey.last_code(EMAIL)
    row = PendingRequest.objects.get()
    assert row.code_hash == tokens.digest(code) and code not in str(row.__dict__)
    assert row.held_email == EMAIL and row.expires_at - row.created_at == timedelta(hours=48)
    assert started.pending == row and started.kind.name == "creation"
    assert "48 heures" in decrypt_body(OutboxEmail.objects.get())


def test_r_adh_4_an_email_kind_may_send_its_code_to_another_mailbox_matched_by_the_login():
    """The code goes to address alone; J2 matches it with email (the login), not with address."""
    space = SpaceFactory(login_email=EMAIL)
    with transaction.atomic():
        CodeProcess.initiate(
            kind=Kind.PASSWORD_RESET, email=EMAIL, payload={}, now=clock.now(), space=space, address="siege@exemple.fr"
        )
    [mail] = OutboxEmail.objects.all()
    assert mail.to == "siege@exemple.fr"
    code = journey.last_code("siege@exemple.fr")
    assert resume(code, kinds=(Kind.PASSWORD_RESET,)).pending.email == EMAIL
    with pytest.raises(CodeWrong):
        resume(code, email="siege@exemple.fr", kinds=(Kind.PASSWORD_RESET,))
    with pytest.raises(ValueError, match="one email"):
        CodeProcess.initiate(
            kind=Kind.PASSWORD_RESET, email=EMAIL, payload={}, now=clock.now(), space=space, address=["1 RUE"]
        )


def test_r_mail_3_initiate_refuses_an_email_another_live_request_holds():
    initiate()
    with pytest.raises(EmailUnavailable):
        initiate(kind=Kind.EMAIL_CHANGE, space=SpaceFactory())
    assert PendingRequest.objects.count() == OutboxEmail.objects.count() == 1


def test_r_code_2_resume_says_why_for_the_audit_log():
    started = initiate()
    code = journey.last_code(EMAIL)
    assert resume(code).pending == started.pending
    with pytest.raises(CodeMalformed):
        resume(code[:11])
    with pytest.raises(CodeWrong):
        resume(("A" if code[0] != "A" else "B") + code[1:])
    with pytest.raises(CodeWrong):
        resume(code, email="autre@exemple.fr")  # another email's code
    with pytest.raises(CodeWrong):
        resume(code, kinds=[Kind.PASSWORD_RESET])  # a kind the page does not handle
    with pytest.raises(CodeWrong):
        resume(code, space=SpaceFactory())  # another space's
    with time_machine.travel(clock.now() + timedelta(hours=48, seconds=1), tick=False):
        with pytest.raises(CodeExpired):
            resume(code)
    started.finish()
    with pytest.raises(CodeUsed):
        resume(code)
    # Every reason is a CodeRefused: the one thing views catch (R-CODE-2).
    assert all(issubclass(error, CodeRefused) for error in (CodeMalformed, CodeWrong, CodeExpired, CodeUsed))


def test_r_code_1_finish_consumes_once_and_wipes_the_payload():
    initiate()
    found = resume(journey.last_code(EMAIL))
    assert found.finish() == {"secret_hash": "h"}
    row = PendingRequest.objects.get()
    assert row.used_at is not None and row.payload == {} and row.held_email is None
    with pytest.raises(CodeUsed):  # the same process, or another that read the row before
        found.finish()


def test_abort_kills_the_code_and_frees_the_email():
    started = initiate()
    code = journey.last_code(EMAIL)
    started.abort()
    with pytest.raises(CodeExpired):
        resume(code)
    row = PendingRequest.objects.get()
    assert row.held_email is None and row.payload == {}
    initiate(kind=Kind.EMAIL_CHANGE, space=SpaceFactory())  # the email is free again


def test_record_invalid_attempt_keeps_the_request_alive_until_the_last_allowed(settings):
    settings.RESET_ANSWER_ATTEMPTS = 3
    space = SpaceFactory(login_email=EMAIL)
    initiate(kind=Kind.PASSWORD_RESET, space=space, payload={})
    code = journey.last_code(EMAIL)
    for wrong in (1, 2):
        assert resume(code, kinds=[Kind.PASSWORD_RESET], lock=True).record_invalid_attempt() is True
        assert PendingRequest.objects.get().payload == {"wrong_answers": wrong}
    assert resume(code, kinds=[Kind.PASSWORD_RESET], lock=True).record_invalid_attempt() is False
    with pytest.raises(CodeExpired):
        resume(code, kinds=[Kind.PASSWORD_RESET])


def test_spec_4_rehearse_does_the_work_and_leaves_nothing():
    with transaction.atomic():
        CodeProcess.rehearse(kind=Kind.PASSWORD_RESET, email=EMAIL, now=clock.now())
        CodeProcess.rehearse(kind=Kind.CREATION, email=EMAIL, now=clock.now())
    assert not PendingRequest.objects.exists() and not OutboxEmail.objects.exists()


def test_recall_finds_the_proven_request_by_its_digest_while_it_lives():
    started = initiate()
    digest = tokens.digest(journey.last_code(EMAIL))
    assert CodeProcess.recall(digest=digest, email=EMAIL, kinds=[Kind.CREATION], now=clock.now()).pending == (
        started.pending
    )
    started.finish()
    assert CodeProcess.recall(digest=digest, email=EMAIL, kinds=[Kind.CREATION], now=clock.now()) is None


def test_r_throttle_1_check_runs_the_attempt_and_returns_its_value():
    initiate()
    code = journey.last_code(EMAIL)
    assert process.check(request(), account=EMAIL, attempt=lambda: resume(code).finish()) == {"secret_hash": "h"}
    with pytest.raises(CodeUsed):
        process.check(request(), account=EMAIL, attempt=lambda: resume(code).finish())


def test_r_throttle_1_a_refusal_rolls_back_the_attempt_and_counts_a_failure(settings):
    settings.REDIS_URL = ""  # the database store, whose counters this test reads
    initiate()
    code = journey.last_code(EMAIL)

    def consume_then_refuse():
        resume(code).finish()
        raise CodeVoid()  # what the request was for changed meanwhile

    with pytest.raises(CodeVoid):
        process.check(request(), account=EMAIL, attempt=consume_then_refuse)
    assert PendingRequest.objects.get().used_at is None  # rolled back: the code still works
    with pytest.raises(CodeWrong):  # a falsy value is a failure too
        process.check(request(), account=EMAIL, attempt=lambda: None)
    assert ThrottleCounter.objects.exists()


def test_check_keeps_the_writes_of_a_failed_attempt_and_raises_its_error():
    initiate()
    code = journey.last_code(EMAIL)

    class AnswerWrong(Exception):
        pass

    def count_then_fail():
        found = resume(code, lock=True)
        PendingRequest.objects.filter(pk=found.pending.pk).update(payload={"wrong_answers": 1})
        return Failed(AnswerWrong())

    with pytest.raises(AnswerWrong):
        process.check(request(), account=EMAIL, attempt=count_then_fail)
    assert PendingRequest.objects.get().payload == {"wrong_answers": 1}


def test_r_throttle_1_a_throttled_check_never_runs_the_attempt():
    initiate()
    code = journey.last_code(EMAIL)
    for _ in range(5):
        with pytest.raises(CodeWrong):
            process.check(request(), account=EMAIL, attempt=lambda: resume("A" * 12))
    ran = []
    with pytest.raises(CodeThrottled):
        process.check(request(), account=EMAIL, attempt=lambda: ran.append(resume(code).finish()))
    assert ran == [] and PendingRequest.objects.get().used_at is None


def test_r_mail_3_two_requests_racing_for_one_email_cannot_both_hold_it(monkeypatch):
    """The unique claim decides when both passed the availability check at the same moment."""
    from codes import requests

    initiate()
    monkeypatch.setattr(requests, "check_available", lambda *args, **kwargs: None)  # the other one's check passed
    with pytest.raises(EmailUnavailable):
        initiate()
    assert PendingRequest.objects.count() == OutboxEmail.objects.count() == 1
