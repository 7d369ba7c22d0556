"""A real SMTP server on loopback for the tests (aiosmtpd), and settings pointing at it."""

import email
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from config.env import email_settings


@dataclass
class Received:
    to: list[str]
    sender: str
    subject: str
    body: str
    raw: bytes


@dataclass
class SmtpServer:
    port: int
    messages: list[Received] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        part = message.get_body(preferencelist=("plain",)) or message
        with self.arrived:
            self.messages.append(
                Received(
                    list(envelope.rcpt_tos),
                    envelope.mail_from,
                    str(message["Subject"]),
                    part.get_content(),
                    envelope.original_content or envelope.content,
                )
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 5) -> list[Received]:
        """Wait until count messages have arrived (I/O on a real server), then return them."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0 or not self.arrived.wait(left):
                    break
        assert len(self.messages) >= count, f"{len(self.messages)} courriel(s) reçu(s) sur {count} attendu(s)"
        return self.messages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_smtp_server():
    """A real SMTP server on a free loopback port, for as long as the block runs."""
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def smtp_settings(settings, smtp_server):
    url = f"smtp://127.0.0.1:{smtp_server.port}"
    settings.EMAIL_URL = url
    for name, value in email_settings(url).items():
        setattr(settings, name, value)
    return smtp_server
