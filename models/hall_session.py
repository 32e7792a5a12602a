"""The hall's opening calendar (弹性办), separate from the statutory
working-day calendar (engine/workcalendar.py): weekly sessions (regular
hours, the uninterrupted lunch session 午间不间断, evening 延时 and weekend
sessions) and one-off dated rows (an extra session, or a closure)."""
from datetime import date, time
from typing import Optional

from sqlalchemy import Boolean, Date, SmallInteger, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType

SESSION_KINDS = ("regular", "lunch", "evening", "weekend")


class HallSession(Base):
    __tablename__ = "hall_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Either every week on `weekday` (0 = Monday) or once on `on_date`.
    weekday: Mapped[Optional[int]] = mapped_column(SmallInteger, default=None)
    on_date: Mapped[Optional[date]] = mapped_column(Date, index=True, default=None)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    # Service categories offered in this session (ProcessVersion.category);
    # empty = every category. Flexible sessions usually offer a few.
    categories: Mapped[list] = mapped_column(JSONType, default=list)
    # A dated row with closed=True closes the hall that day (a holiday).
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
