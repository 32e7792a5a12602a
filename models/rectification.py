"""A 差评's rectification for one handling department (谁办理、谁负责):
the deadline, the callback to the applicant, the outcome, and for a logged
outcome the fix done by its own date."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime

RECTIFICATION_STATUSES = ("open", "closed", "annulled")
OUTCOMES = ("immediate", "logged", "explained")  # 立行立改 / 建立台账限期整改 / 无法律依据予以解释


class Rectification(Base):
    __tablename__ = "rectifications"
    __table_args__ = (UniqueConstraint("rating_id", "department_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="open")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verify_by: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)  # callback due
    deadline_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True, default=None)
    escalated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    callback_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    callback_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    callback_note: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16), default="")
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_due_on: Mapped[Optional[date]] = mapped_column(Date, default=None)  # a logged fix's own date
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    closed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    # The follow-up of a "logged" outcome: the department records the fix as
    # done; the sweep reports it to the supervisor once when its date passed.
    fixed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    fixed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    fixed_note: Mapped[str] = mapped_column(Text, default="")
    fix_escalated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
