"""One row per closed case: how long it took in working time against its
promise (承诺时限). Written by the command that closes the case, in its
transaction, with the working time computed then (the calendar lives in
Python), so the dashboard aggregates it in SQL."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import UTCDateTime


class CaseDuration(Base):
    __tablename__ = "case_durations"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True,
                                         autoincrement=False)
    scenario_key: Mapped[str] = mapped_column(String(64), index=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    status: Mapped[str] = mapped_column(String(16))  # completed | rejected | withdrawn
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    working_seconds: Mapped[Optional[int]] = mapped_column(Integer, default=None)
    on_time: Mapped[Optional[bool]] = mapped_column(Boolean, default=None)
