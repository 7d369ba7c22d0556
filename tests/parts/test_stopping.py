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
