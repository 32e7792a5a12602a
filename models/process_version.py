"""Deployed process versions. A version holds every file it needs to run
(its own BPMN/DMN/forms and those of the shared blocks it calls), so a
running case pinned to it never changes underneath."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, utcnow
from .types import UTCDateTime


class ProcessVersion(Base):
    __tablename__ = "process_versions"
    __table_args__ = (UniqueConstraint("scenario_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(Integer)
    process_id: Mapped[str] = mapped_column(String(128))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    # {relative path: text} of every BPMN, DMN and form file of the version.
    files: Mapped[dict] = mapped_column(JSONType)
    # metadata.json as deployed (names, promises, departments, approvals, materials).
    meta: Mapped[dict] = mapped_column(JSONType)
    deployed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    deployed_by_name: Mapped[str] = mapped_column(String(100), default="")
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
