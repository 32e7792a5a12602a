"""An applicant's appointment (预约办) in one slot, for one scenario."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime

APPOINTMENT_STATUSES = ("booked", "checked_in", "no_show", "cancelled")
CHANNELS = ("web", "wechat", "phone", "12345")


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (Index("ix_appointments_status_slot", "status", "slot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("appointment_slots.id"), index=True)
    scenario_key: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(8), default="web")
    # Copied at booking so the window sees who is coming even if the
    # account changes: name, ID card number or USCC, phone.
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    applicant_key: Mapped[str] = mapped_column(String(32), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(16), default="booked")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    checked_in_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    checked_in_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    # When the slot ended without a check-in (the no-show rule counts these).
    no_show_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True, default=None)
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    # The case started at the window after check-in (its first event holds
    # the appointment id too).
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), default=None)
