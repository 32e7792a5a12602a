"""The supervisor's list of key projects (重点项目, 绿色通道办): a case whose
applicant is on the list goes first in every queue, gets the project's
steward (项目管家) and the scenario's shorter promise."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime

PROJECT_LEVELS = ("city", "district")


class KeyProject(Base):
    __tablename__ = "key_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))  # city 市级 / district 区级
    # The applicant it covers: a unified social credit code or an ID card
    # number, upper-case, as models.Case.applicant_key holds it.
    applicant_key: Mapped[str] = mapped_column(String(32), index=True)
    steward_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, index=True, default=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
