"""Enterprise requests (江汉政企通): a company's policy question, difficulty
or complaint, with the two clocks SCENARIOS.md §3 promises: the responsible
department signs for it (签收) within 1 working hour and answers (答复)
within 3 working days. The clocks are stored as due times so lists and the
escalation sweep filter on indexed columns."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime

REQUEST_KINDS = ("policy", "difficulty", "complaint")
# dispatching: left to the hall, the window (CK) picks the department;
# filed: waiting for the department's signature; signed: being handled;
# answered: the department replied (the company may rate, or reopen once).
REQUEST_STATUSES = ("dispatching", "filed", "signed", "answered")


class EnterpriseRequest(Base):
    __tablename__ = "enterprise_requests"
    __table_args__ = (
        Index("ix_enterprise_requests_department_status", "department_code", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    company_name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    case_reference: Mapped[str] = mapped_column(String(32), default="")
    # None while the hall (CK) has still to dispatch it.
    department_code: Mapped[Optional[str]] = mapped_column(ForeignKey("departments.code"), default=None)
    status: Mapped[str] = mapped_column(String(16))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The sign clock runs from filing, and again from a dispatch or transfer.
    sign_clock_from: Mapped[datetime] = mapped_column(UTCDateTime)
    sign_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    signed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    signed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    # The company's 3-working-day promise runs from filing (or a reopening).
    answer_due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    answered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    answered_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    answer: Mapped[str] = mapped_column(Text, default="")
    dispatched_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    dispatched_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    # One transfer to another department, recorded here.
    transferred_from: Mapped[str] = mapped_column(String(8), default="")
    transferred_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    transferred_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    transfer_reason: Mapped[str] = mapped_column(String(500), default="")
    rating: Mapped[Optional[int]] = mapped_column(SmallInteger, default=None)
    rating_comment: Mapped[str] = mapped_column(String(1000), default="")
    rated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    # One reopening when the answer did not satisfy; the first answer is kept.
    reopened_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    reopen_reason: Mapped[str] = mapped_column(String(1000), default="")
    first_answer: Mapped[str] = mapped_column(Text, default="")


class EnterpriseEscalation(Base):
    """One row per breached deadline: the unique key makes the escalation
    happen once per breach even if two sweeps race (a transfer re-sets the
    sign clock, so its new deadline is a new breach)."""

    __tablename__ = "enterprise_escalations"
    __table_args__ = (
        Index("uq_enterprise_escalations_breach", "request_id", "breach", "due_at", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("enterprise_requests.id", ondelete="CASCADE"), index=True)
    breach: Mapped[str] = mapped_column(String(8))  # "sign" or "answer"
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    department_code: Mapped[str] = mapped_column(String(8), default="")
    escalated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notified: Mapped[int] = mapped_column(default=0)
