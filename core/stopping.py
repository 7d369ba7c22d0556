"""Long-running commands (the mail worker, the periodic tasks) stop at once on SIGTERM or SIGINT.

Two traps made them outlive Ctrl-C under `make run` (issue 13 item 9): a job that a shell
script starts in the background (bin/serve) inherits SIGINT *ignored*, so Ctrl-C alone never
reaches it; and a handler that only sets a flag leaves ``time.sleep()`` to run to its end
(PEP 475 resumes it), up to the periodic tasks' ten minutes after bin/serve's SIGTERM. Here
both signals are caught, and the handler also writes to a pipe that every pause waits on, so
a pause ends as soon as a signal comes.
"""

import os
import select
import signal

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopSignals:
    """Catch SIGTERM and SIGINT for the time of a ``with`` block (the handlers before it come back).

    ``requested`` turns true on the first signal; ``pause(seconds)`` waits, but returns at once
    when a stop is requested, before or during the wait.
    """

    def __init__(self):
        self.requested = False
        self._previous = {}
        self._read = self._write = None

    def __enter__(self) -> "StopSignals":
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)
        for number in SIGNALS:
            self._previous[number] = signal.signal(number, self._on_signal)
        return self

    def __exit__(self, *exc) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        os.close(self._read)
        os.close(self._write)

    def _on_signal(self, *args) -> None:
        self.stop()

    def stop(self) -> None:
        """Request the stop (what a signal does): the loop ends at its next check or pause."""
        self.requested = True
        try:
            os.write(self._write, b".")
        except BlockingIOError:  # the pipe is full of earlier wake-ups: the pause ends anyway
            pass

    def pause(self, seconds: float) -> None:
        """Wait up to seconds; return at once when a stop is requested."""
        if not self.requested:
            select.select([self._read], [], [], seconds)
