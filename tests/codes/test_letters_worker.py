"""R-ADH-3 (as R-EMAIL-2/3 for emails): the letters worker retries with back-off, loses nothing when
LETTER_SPOOL_DIR is unwritable for a while, never hands one letter over twice, stops cleanly."""

import io
import logging
import threading
from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections

from codes import letter_worker, letters, registry
from codes.letter_worker import backoff, hand_over_due
from codes.models import OutboxLetter
from core import clock
from tests.codes.letter_files import LETTER_KIND, ask_by_post, code_in, files_in, register_letter_kind
from tests.conftest import need

pytestmark = pytest.mark.django_db
START = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def spool(settings, tmp_path):
    settings.LETTER_SPOOL_DIR = tmp_path / "imprimeur"
    register_letter_kind()
    yield settings.LETTER_SPOOL_DIR
    registry.unregister(LETTER_KIND)


def blocked(spool):
    """Put a file where the spool folder's parent should be: every write there fails, even as root."""
    spool.parent.mkdir(parents=True, exist_ok=True)
    spool.parent.joinpath("bloque").write_text("")
    return spool.parent / "bloque" / "imprimeur"


def refuse_permission(monkeypatch):
    def mkstemp(*args, **kwargs):
        raise PermissionError(13, "Permission non accordée", str(kwargs.get("dir")))

    monkeypatch.setattr(letter_worker.tempfile, "mkstemp", mkstemp)


@pytest.mark.parametrize("trouble", ["a file where the folder should be", "permission refused"])
def test_r_adh_3_an_unwritable_spool_folder_is_retried_with_back_off_then_the_letter_leaves(
    spool, settings, monkeypatch, trouble
):
    if trouble == "a file where the folder should be":
        settings.LETTER_SPOOL_DIR = blocked(spool)
    else:
        refuse_permission(monkeypatch)
    with time_machine.travel(START, tick=False) as traveller:
        ask_by_post()
        letter = OutboxLetter.objects.get()
        assert hand_over_due() == 0
        letter.refresh_from_db()
        assert letter.status == "pending" and letter.attempts == 1 and letter.claimed_by == ""
        assert letter.next_attempt_at >= START + timedelta(seconds=30)
        assert letter.last_error.split(":")[0] in ("NotADirectoryError", "FileExistsError", "PermissionError")
        assert hand_over_due() == 0  # not due yet: no new attempt
        letter.refresh_from_db()
        assert letter.attempts == 1
        traveller.shift(timedelta(seconds=34))
        assert hand_over_due() == 0
        letter.refresh_from_db()
        assert letter.attempts == 2 and letter.next_attempt_at >= clock.now() + timedelta(seconds=60)  # doubled
        settings.LETTER_SPOOL_DIR = spool  # the folder is back
        monkeypatch.undo()
        traveller.shift(timedelta(seconds=70))
        assert hand_over_due() == 1
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.attempts == 3 and letter.last_error == ""
    assert files_in(spool) == [f"{letter.reference}.json", f"{letter.reference}.pdf"]


def test_r_adh_3_a_write_that_fails_midway_leaves_no_manifest_and_no_temporary_file(spool, monkeypatch):
    """The disk fills up while the manifest is written: the PDF is there, whole, but no manifest
    announces it, no temporary file lingers; the next pass writes both."""
    real_fsync, calls = letter_worker.os.fsync, []

    def fsync(descriptor):
        calls.append(descriptor)
        if len(calls) == 3:  # the PDF's data, the folder, then the manifest's data
            raise OSError(28, "Plus de place sur le périphérique")
        real_fsync(descriptor)

    monkeypatch.setattr(letter_worker.os, "fsync", fsync)
    with time_machine.travel(START, tick=False) as traveller:
        ask_by_post()
        assert hand_over_due() == 0
        reference = OutboxLetter.objects.get().reference
        assert files_in(spool) == [f"{reference}.pdf"]
        traveller.shift(timedelta(minutes=1))
        assert hand_over_due() == 1
    assert files_in(spool) == [f"{reference}.json", f"{reference}.pdf"]


def test_r_adh_3_back_off_is_capped_and_gives_up_after_max_attempts_keeping_the_letter(
    spool, settings, caplog
):
    assert backoff(1) >= timedelta(seconds=30) and backoff(2) >= timedelta(seconds=60)
    assert backoff(40) <= settings.LETTER_MAX_RETRY * 1.1
    settings.LETTER_SPOOL_DIR = blocked(spool)
    settings.LETTER_MAX_ATTEMPTS = 2
    with time_machine.travel(START, tick=False) as traveller:
        ask_by_post()
        hand_over_due()
        traveller.shift(timedelta(hours=2))
        with caplog.at_level(logging.ERROR, logger="codes.letters"):
            hand_over_due()
    letter = OutboxLetter.objects.get()
    assert letter.status == "failed" and letter.attempts == 2
    assert letters.unseal(letter)["code"]  # not handed over: kept, for an operator to send again
    assert f"Courrier {letter.reference} abandonné après 2 tentatives" in caplog.text


# --- Two workers, one letter ---------------------------------------------------------


def test_r_adh_3_a_leased_letter_is_left_to_its_worker_and_a_dead_worker_s_comes_back(spool):
    with time_machine.travel(START, tick=False) as traveller:
        ask_by_post()
        [claimed] = letter_worker.claim(10)  # worker A claims it, then dies
        assert hand_over_due() == 0  # worker B: nothing due, the lease is A's
        assert files_in(spool) == []
        traveller.shift(letter_worker.LEASE + timedelta(seconds=1))
        assert hand_over_due() == 1  # B takes it up after the lease
        assert letter_worker._renew(claimed) is False  # A, back, finds it is no longer its own
    letter = OutboxLetter.objects.get()
    assert letter.status == "sent" and letter.attempts == 1 and len(files_in(spool)) == 2


def test_r_adh_3_a_letter_whose_lease_was_lost_before_its_hand_over_is_left_to_its_new_holder(spool, monkeypatch):
    ask_by_post()
    real_claim = letter_worker.claim

    def claim_then_lose_it(limit):
        claimed = real_claim(limit)
        OutboxLetter.objects.update(claimed_by="un-autre-distributeur")
        return claimed

    monkeypatch.setattr(letter_worker, "claim", claim_then_lose_it)
    assert hand_over_due() == 0 and files_in(spool) == []
    letter = OutboxLetter.objects.get()
    assert letter.status == "pending" and letter.attempts == 0 and letter.context_encrypted


def test_r_adh_3_a_worker_that_died_after_the_hand_over_is_not_repeated(spool, monkeypatch):
    """The files are in the folder but the worker died before recording it: the next worker
    finds the manifest and records the letter as handed over, without writing it again."""
    with time_machine.travel(START, tick=False) as traveller:
        ask_by_post()
        [letter] = letter_worker.claim(10)
        letter_worker.write_files(spool, letter, letter_worker.render(letter, letters.unseal(letter)))
        code = letters.unseal(letter)["code"]
        written = sorted((path.name, path.stat().st_mtime_ns) for path in spool.iterdir())
        monkeypatch.setattr(letter_worker, "write_files", lambda *args: pytest.fail("écrit deux fois"))
        traveller.shift(letter_worker.LEASE + timedelta(seconds=1))
        assert hand_over_due() == 1
    letter.refresh_from_db()
    assert letter.status == "sent" and letter.pages == 1 and letter.context_encrypted == ""
    assert sorted((path.name, path.stat().st_mtime_ns) for path in spool.iterdir()) == written
    assert code_in(spool / f"{letter.reference}.pdf") == code


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_adh_3_workers_on_several_nodes_never_hand_one_letter_over_twice(spool, monkeypatch):
    """Six workers at once on the real PostgreSQL (SKIP LOCKED) over twenty letters: each is
    written once, by one of them."""
    need(connection.vendor == "postgresql", "PostgreSQL requis (DATABASE_URL)")
    for _ in range(20):
        ask_by_post()
    writes, lock, real_write = [], threading.Lock(), letter_worker.write_files

    def write_files(folder, letter, document):
        with lock:
            writes.append(letter.reference)
        real_write(folder, letter, document)

    monkeypatch.setattr(letter_worker, "write_files", write_files)
    barrier, done, errors = threading.Barrier(6), [], []

    def worker():
        try:
            barrier.wait()
            while handed := hand_over_due(limit=3):
                done.append(handed)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    references = set(OutboxLetter.objects.values_list("reference", flat=True))
    assert sorted(writes) == sorted(references) and sum(done) == 20
    assert set(OutboxLetter.objects.values_list("status", flat=True)) == {"sent"}
    assert len(files_in(spool)) == 40


# --- The command ---------------------------------------------------------------------


def test_r_adh_3_letter_worker_once(spool):
    ask_by_post()
    out = io.StringIO()
    call_command("letter_worker", "--once", stdout=out)
    assert out.getvalue().strip() == "1 courrier(s) remis"
    assert OutboxLetter.objects.get().status == "sent"


def test_r_adh_3_letter_worker_loop_hands_over_survives_errors_and_stops_on_a_signal(spool, monkeypatch, caplog):
    """The letter_worker loop: hands over until nothing is due, logs an error and waits longer
    when the database is away, stops cleanly on a stop request (no sleep: the pause is the
    hook that drives the passes; core.stopping's own test sends real signals)."""
    from codes.management.commands import letter_worker as command_module
    from core.stopping import StopSignals

    ask_by_post()
    passes, pauses = [], []
    real = command_module.hand_over_due

    def hand_over():
        passes.append(1)
        if len(passes) == 3:
            raise RuntimeError("base absente")
        return real()

    def pause(stop, seconds):
        pauses.append(seconds)
        if len(pauses) == 3:
            stop.stop()

    monkeypatch.setattr(command_module, "hand_over_due", hand_over)
    monkeypatch.setattr(StopSignals, "pause", pause)
    monkeypatch.setattr(command_module, "close_old_connections", lambda: None)  # the test's transaction
    with caplog.at_level(logging.INFO, logger="codes.letters"):
        command_module.Command(stdout=io.StringIO()).handle(interval=2.0)
    assert OutboxLetter.objects.get().status == "sent"
    assert pauses == [2.0, 4.0, 2.0]  # the failed pass doubled the pause, the next reset it
    assert "démarré" in caplog.text and "erreur" in caplog.text and "arrêté" in caplog.text
