"""好差评: one rating per case (国办发〔2019〕51号 "一事一评"), by the applicant
online, by a window clerk on site, or the default when nobody rated in time."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, utcnow
from .types import UTCDateTime

RATING_CHANNELS = ("online", "onsite", "default")


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: the database itself refuses a second rating of one case.
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    applicant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    channel: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    # National indicators, each 1-5: the online or the offline set.
    indicators: Mapped[dict] = mapped_column(JSONType, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # An appeal granted (申诉复核): the rating stays on record but no longer counts.
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
