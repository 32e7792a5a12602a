"""A bookable time at one window for one service category. `booked` is a
counter kept by conditional updates (`... WHERE booked < capacity`), so two
people taking the last place cannot both win."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import UTCDateTime


class AppointmentSlot(Base):
    __tablename__ = "appointment_slots"
    __table_args__ = (
        UniqueConstraint("window_id", "category", "starts_at", name="uq_appointment_slots_window_category_start"),
        CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("hall_windows.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[Optional[int]] = mapped_column(ForeignKey("hall_sessions.id", ondelete="SET NULL"),
                                                      default=None)
    session_kind: Mapped[str] = mapped_column(String(16))  # copied: the session may change later
    category: Mapped[str] = mapped_column(String(32), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)  # Beijing date
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column()
    booked: Mapped[int] = mapped_column(default=0)
