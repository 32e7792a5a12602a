"""One row per work item that has ended (completed, or cancelled by the
process: a withdrawal, a rejection elsewhere, a timer): what the
supervisor's figures are computed from. work_items holds only the open
ones (a queue's rows), so the moment a task became ready would otherwise be
lost when it is done. Written by the command that ends the item, in its
transaction; the working time (legal calendar) is computed then, so that
the dashboard's figures are plain aggregate SQL."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import UTCDateTime


class WorkItemHistory(Base):
    __tablename__ = "work_item_history"
    __table_args__ = (Index("ix_work_item_history_department_ended", "department_code", "ended_at"),
                      Index("ix_work_item_history_version_task", "process_version_id", "process_id", "task_spec"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    scenario_key: Mapped[str] = mapped_column(String(64))
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    process_id: Mapped[str] = mapped_column(String(128))  # the BPMN process (a called block's own)
    task_id: Mapped[str] = mapped_column(String(36))
    task_spec: Mapped[str] = mapped_column(String(128))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    department_code: Mapped[str] = mapped_column(String(8))
    permit: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(16))  # completed | cancelled
    ready_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    due_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    # Working seconds (legal calendar) from ready to ended, and from ready to
    # due; NULL where the calendar has no data for a day in between.
    working_seconds: Mapped[Optional[int]] = mapped_column(Integer, default=None)
    allowed_seconds: Mapped[Optional[int]] = mapped_column(Integer, default=None)
    on_time: Mapped[Optional[bool]] = mapped_column(Boolean, default=None)  # NULL: no due time
