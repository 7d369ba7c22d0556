"""Implementations of mailer.interfaces.Sender."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger("mailer")


class EmailUrlMissing(Exception):
    """No EMAIL_URL outside development: the mail waits, as if its server were down."""

    def __str__(self):
        return "EMAIL_URL absent"


class DevelopmentOnly(Exception):
    """The console sender outside DEBUG: it would write codes into production logs."""

    def __str__(self):
        return "MAILER_SENDER console réservé au développement (DEBUG)"


class SmtpSender:
    """Send through Django's mail backend, the SMTP one that EMAIL_URL configures (production)."""

    keeps = False

    def __init__(self):
        self.connection = None

    def open(self) -> None:
        if not settings.EMAIL_URL:
            raise EmailUrlMissing()
        self.connection = get_connection(fail_silently=False)
        self.connection.open()

    def send(self, *, to: str, subject: str, body: str) -> None:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], connection=self.connection).send()

    def close(self) -> None:
        self.connection.close()  # the worker closes only what open() connected


class ConsoleSender:
    """Development (DEBUG without EMAIL_URL): there is no mailbox to send to, so each mail goes
    to the console, body included, and stays readable on the development mailbox page."""

    keeps = True

    def open(self) -> None:
        # Bodies carry activation codes: outside development they are never logged, and the
        # mails wait instead, as when the server is down.
        if not settings.DEBUG:
            raise DevelopmentOnly()

    def send(self, *, to: str, subject: str, body: str) -> None:
        logger.info("Courriel conservé (pas d'EMAIL_URL) pour %s : %s\n%s", to, subject, body)

    def close(self) -> None:
        pass
