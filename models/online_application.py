"""Online applications (网上申报): what an applicant files from home before
a case exists. A draft keeps whatever was typed (even invalid) so nothing is
lost; a submitted application waits in the comprehensive window's
pre-review queue (网上预审); the clerk accepts it (the case starts and the
row links to it) or returns it with reasons, and the applicant edits and
submits again."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, utcnow
from .types import UTCDateTime

APPLICATION_STATUSES = ("draft", "submitted", "returned", "accepted")


class OnlineApplication(Base):
    __tablename__ = "online_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scenario_key: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")
    # The intake form's values as last typed (coerced, possibly invalid in a draft).
    data: Mapped[dict] = mapped_column(JSONType, default=dict)
    # The clerk's reasons when returned (一次性告知), kept until accepted.
    return_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True, default=None)
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"), index=True,
                                                   default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped by every change, so a clerk's decision never crosses an edit.
    version: Mapped[int] = mapped_column(Integer, default=1)


class ApplicationFile(Base):
    """An uploaded file offered as one material of an application."""

    __tablename__ = "application_files"
    __table_args__ = (UniqueConstraint("application_id", "stored_file_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("online_applications.id", ondelete="CASCADE"),
                                                index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id", ondelete="CASCADE"), index=True)
    material_key: Mapped[str] = mapped_column(String(64))
