"""One adapter interface for SMS and e-mail. The default backend logs each
message (no gateway is configured on a fresh install); a hall plugs in its
SMS gateway or SMTP server by naming a class in ONEWINDOW_MESSENGER
("package.module:ClassName", constructed with no arguments)."""
from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger("onewindow.messaging")


class DeliveryFailed(Exception):
    """The gateway refused or could not be reached; the outbox retries."""


@dataclass(frozen=True)
class Message:
    channel: str  # "sms" or "email"
    to: str  # a mobile number or an e-mail address
    subject: str
    body: str


class Messenger(Protocol):
    def send(self, message: Message) -> None:
        """Deliver one message or raise DeliveryFailed."""


class LoggingMessenger:
    """Writes every message to the log instead of sending it."""

    def send(self, message: Message) -> None:
        log.info("%s to %s: %s | %s", message.channel, message.to, message.subject, message.body)


@dataclass
class MemoryMessenger:
    """Keeps what it was given; for tests and for the demo's inspection."""

    sent: list[Message] = field(default_factory=list)

    def send(self, message: Message) -> None:
        self.sent.append(message)


def configured_messenger() -> Messenger:
    spec = os.environ.get("ONEWINDOW_MESSENGER", "").strip()
    if not spec:
        return LoggingMessenger()
    module_name, _, class_name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), class_name)()
    except (ImportError, AttributeError, ValueError, TypeError) as exc:
        raise RuntimeError(f"ONEWINDOW_MESSENGER={spec!r} cannot be loaded: {exc}") from exc
