"""A real SMTP server for email tests: aiosmtpd on a free local port, with Django's
SMTP backend pointed at it, so a test reads back what actually went over the wire.

Use the ``smtp_server`` fixture (registered in tests/conftest.py)::

    def test_it_emails(smtp_server):
        ...
        message = smtp_server.only_message()
        assert message["To"] == "someone@example.org"
        text, html = smtp_server.bodies(message)
"""

from __future__ import annotations

import re
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message as the server received it: the envelope and the parsed message."""

    mail_from: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class CollectingHandler:
    """An aiosmtpd handler that keeps every message it is sent."""

    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd hook)
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), parsed)  # type: ignore[arg-type]
            )
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: CollectingHandler

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def only_message(self) -> Received:
        messages = self.messages
        assert len(messages) == 1, [m.message["Subject"] for m in messages]
        return messages[0]

    def clear(self) -> None:
        with self.handler.lock:
            self.handler.received.clear()

    @staticmethod
    def bodies(received: Received) -> tuple[str, str]:
        """The plain text and the HTML part of a message."""
        text = received.message.get_body(preferencelist=("plain",))
        html = received.message.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        return text.get_content(), html.get_content()

    @classmethod
    def links(cls, received: Received) -> list[str]:
        """The links in the plain text part."""
        return LINK.findall(cls.bodies(received)[0])


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server that Django sends mail to, stopped after the test."""
    handler = CollectingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield SmtpServer("127.0.0.1", port, handler)
    finally:
        controller.stop()
