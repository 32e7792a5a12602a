"""One row per READY user task: what a department's queue lists."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime


class WorkItem(Base):
    __tablename__ = "work_items"
    __table_args__ = (UniqueConstraint("case_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))  # the SpiffWorkflow task UUID
    task_spec: Mapped[str] = mapped_column(String(128))  # the BPMN element id
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    form_key: Mapped[str] = mapped_column(String(128), default="")
    permit: Mapped[str] = mapped_column(String(64), default="")
    claimed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    claimed_by_name: Mapped[str] = mapped_column(String(100), default="")
    claimed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True, default=None)
    # Set once each by the sweep (engine/reminders.py): a reminder before
    # the due time, an escalation after it. Conditional UPDATEs on these
    # make two workers act once.
    reminded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    escalated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
