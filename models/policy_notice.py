"""Policy notices (政策通知) published to companies by industry."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime

# industries: the companies of the listed industries; all_companies: every
# company; everyone: persons too.
NOTICE_AUDIENCES = ("industries", "all_companies", "everyone")


class PolicyNotice(Base):
    __tablename__ = "policy_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(String(16))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    published_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)


class PolicyNoticeIndustry(Base):
    """The industries (engine/industries.py codes) a notice is for."""

    __tablename__ = "policy_notice_industries"

    notice_id: Mapped[int] = mapped_column(ForeignKey("policy_notices.id", ondelete="CASCADE"), primary_key=True)
    industry: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
