"""core.stopping: SIGTERM and SIGINT end a long pause at once (issue 13 item 9)."""

import os
import signal
import threading
import time

import pytest

from core.stopping import StopSignals


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_a_pause_at_once_and_the_old_handlers_come_back(number):
    before = signal.getsignal(number)
    with StopSignals() as stop:
        timer = threading.Timer(0.2, os.kill, (os.getpid(), number))
        timer.start()
        started = time.monotonic()
        stop.pause(60)
        timer.join()
        assert stop.requested and time.monotonic() - started < 10
        stop.pause(60)  # a stop requested before the pause: no wait at all
    assert signal.getsignal(number) is before


def test_many_stop_requests_never_block_the_handler():
    with StopSignals() as stop:
        for _ in range(70_000):  # more than a pipe holds (64 KiB)
            stop.stop()
        stop.pause(60)
        assert stop.requested


def test_periodic_loop_runs_daily_tasks_once_a_day_retries_after_an_error_and_stops(monkeypatch, caplog):
    """`manage.py periodic` without --once: the pause is the hook that drives the passes."""
    from accounts.management.commands import periodic

    calls, pauses = [], []

    def call_command(name, **options):
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("base absente")  # the first pass fails: nothing counts as done

    def pause(stop, seconds):
        pauses.append(seconds)
        if len(pauses) == 3:
            stop.stop()

    monkeypatch.setattr(periodic, "call_command", call_command)
    monkeypatch.setattr(periodic, "close_old_connections", lambda: None)
    monkeypatch.setattr(StopSignals, "pause", pause)
    periodic.Command().handle(interval=600.0)
    assert calls == ["housekeeping", "housekeeping", *periodic.DAILY, "housekeeping"]
    assert pauses == [600.0] * 3 and "nouvel essai" in caplog.text
