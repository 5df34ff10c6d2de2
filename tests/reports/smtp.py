"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts and can refuse on demand."""

import email
import socket
from email import policy


class Recorder:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse = 0  # how many DATA commands to refuse next (-1: all)
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1 if self.refuse > 0 else 0
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parts(message) -> dict[str, object]:
    """The message's parts by content type (the PDF as bytes, texts as str)."""
    found = {}
    for part in message.walk():
        kind = part.get_content_type()
        if kind in ("text/plain", "text/html") or kind == "application/pdf":
            found[kind] = part.get_content()
    return found
