"""上门办: an applicant (an elderly or disabled person, a key company) asks
for staff to come to them. A supervisor assigns two staff and a time; each
visit made is a VisitRecord; the cases started from a visit are listed here
and each carries a "visit_linked" case event."""
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, utcnow
from .types import UTCDateTime

VISIT_REASONS = ("elderly", "disabled", "key_company", "other")
VISIT_PERIODS = ("morning", "afternoon", "any")
# requested -> scheduled -> completed | absent | follow_up (the last two go
# back to the supervisor to schedule again); cancelled by the applicant
# before the visit is made.
VISIT_STATUSES = ("requested", "scheduled", "completed", "absent", "follow_up", "cancelled")
VISIT_RESULTS = ("completed", "absent", "follow_up")


class VisitRequest(Base):
    __tablename__ = "visit_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(300))
    district: Mapped[str] = mapped_column(String(64), default="")
    latitude: Mapped[Optional[float]] = mapped_column(Float, default=None)
    longitude: Mapped[Optional[float]] = mapped_column(Float, default=None)
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_phone: Mapped[str] = mapped_column(String(20))
    # Scenario keys the applicant wants done (the catalog's items).
    items: Mapped[list] = mapped_column(JSONType, default=list)
    preferred_date: Mapped[date] = mapped_column(Date)
    preferred_period: Mapped[str] = mapped_column(String(16), default="any")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True, default="requested")
    staff1_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    staff2_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    scheduled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    assigned_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")
    # Cases started from this visit (ids), newest last.
    case_ids: Mapped[list] = mapped_column(JSONType, default=list)
    # The result mailed back (EMS).
    mail_tracking_no: Mapped[str] = mapped_column(String(32), default="")
    mailed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic lock, as on cases: two staff recording at once never both win.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def is_assigned(self, user_id: int) -> bool:
        return user_id in (self.staff1_id, self.staff2_id)

