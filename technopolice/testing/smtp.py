"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests and the bench."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.peers: list[tuple] = []  # the client's (address, port) per message: one per connection
        self.refused: set[str] = set()  # recipients answered "550 no such user"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def text(self, index: int = -1) -> str:
        return self.messages[index].get_body(("plain",)).get_content()


def start(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


def mailers(port: int) -> dict:
    options = {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5}
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}
