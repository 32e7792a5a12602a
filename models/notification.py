"""The in-app inbox, and the outbox for SMS and e-mail: a notification is
written in the same transaction as what caused it; a sweeper job later hands
the requested channels to the messaging adapter (engine/messaging.py), so a
crash neither loses a message nor sends one for a rolled-back command."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_outbox", "delivered_at", "channels"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # A path inside the product ("/my/cases/12"), never an outside address.
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    # Outbound channels requested ("sms", "email", "sms,email"; "" = inbox only).
    channels: Mapped[str] = mapped_column(String(32), default="")
    delivered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    delivery_attempts: Mapped[int] = mapped_column(default=0)
    delivery_error: Mapped[str] = mapped_column(String(500), default="")
