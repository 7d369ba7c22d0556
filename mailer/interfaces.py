"""The contract of what carries the outbox's mails out (R-EMAIL-1..3)."""

from typing import Protocol, runtime_checkable


@runtime_checkable
class Sender(Protocol):
    """Carries mails out of the outbox; ``settings.MAILER_SENDER`` names the implementation.

    For each pass with due mails the worker calls ``open()`` once, then ``send()`` for each
    mail, then ``close()`` — never inside a database transaction, so a slow server holds no
    lock. ``open()`` raising means the server is out of reach: every claimed mail waits for
    its next try, with back-off. ``send()`` raising means that mail waits. Nothing may log a
    body outside development: it may carry a code.

    ``keeps`` says what a send did: False, the mail has left (the outbox wipes its body);
    True, it was kept for a developer to read on the development mailbox (status "kept").
    """

    keeps: bool

    def open(self) -> None:
        """Get ready to send (connect); raise if that is not possible now."""

    def send(self, *, to: str, subject: str, body: str) -> None:
        """Send one mail from DEFAULT_FROM_EMAIL to to; raise if it did not go."""

    def close(self) -> None:
        """Release what open() took; a failure here must not undo what was sent."""
