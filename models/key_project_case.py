"""Which key project a case was flagged for when it started, and the
steward assigned to it then (a later change of steward does not rewrite
history; the steward's page follows the project's current steward)."""
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime


class KeyProjectCase(Base):
    __tablename__ = "key_project_cases"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    key_project_id: Mapped[int] = mapped_column(ForeignKey("key_projects.id"), index=True)
    steward_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
