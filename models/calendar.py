"""The administrator's side of the legal calendar (DESIGN.md decision 7):
single days that differ from the published statutory data (a local closure
such as Wuhan's 2020 lockdown, an extra working day), and the years an
administrator has entered in full because the package has no data yet."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime


class CalendarDay(Base):
    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarYear(Base):
    """A year whose holidays and adjusted working weekends an administrator
    has entered as calendar_days (from the State Council's notice): its
    other days follow the weekday rule."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(300), default="")
    entered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
