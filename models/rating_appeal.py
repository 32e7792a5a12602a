"""申诉复核: a department appeals a rating it holds mistaken or malicious;
a supervisor upholds it (the rating stays) or grants it (the rating is
excluded from scoring)."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime

APPEAL_STATUSES = ("pending", "upheld", "granted")


class RatingAppeal(Base):
    __tablename__ = "rating_appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    rectification_id: Mapped[int] = mapped_column(ForeignKey("rectifications.id", ondelete="CASCADE"), index=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"), index=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), index=True, default="pending")
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")
