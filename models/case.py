"""Cases: one application of one applicant to one scenario. The workflow
state is one serialized row (without its spec); everything a page lists
comes from columns here and from work_items and case_events."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, JSONType, utcnow
from .process_version import ProcessVersion
from .types import UTCDateTime

CASE_STATUSES = ("running", "completed", "rejected", "withdrawn")


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    scenario_key: Mapped[str] = mapped_column(String(64), index=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    applicant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    # The applicant's identifier as given at intake (unified social credit
    # code, else the ID card number): how the window finds earlier cases.
    applicant_key: Mapped[str] = mapped_column(String(32), index=True, default="")
    status: Mapped[str] = mapped_column(String(16), index=True, default="running")
    # 绿色通道: a key investment project goes first in every queue.
    key_project: Mapped[bool] = mapped_column(Boolean, index=True, default=False)
    current_step: Mapped[str] = mapped_column(String(500), default="")
    due_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True, default=None)
    next_timer_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True, default=None)
    # The case's clock stops while it waits for the applicant's correction or
    # for an activity the law excludes (testing, expert review): since when,
    # and how much working time it has been stopped in all.
    clock_paused_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    clock_paused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=None)
    # Optimistic lock: every write increments it; SQLAlchemy adds
    # "WHERE version = <read>" to the UPDATE and fails if another write won.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The serialized workflow without its spec (engine/state_codec.py).
    state: Mapped[str] = mapped_column(Text)

    # Not joined: a version row carries every file; commands find the compiled
    # process by id through the runtime's cache instead.
    process_version: Mapped[ProcessVersion] = relationship(lazy="select")

    __mapper_args__ = {"version_id_col": version}


class ReferenceCounter(Base):
    """The per-year sequence behind JH-2026-000123, incremented inside the
    case's own transaction so numbers are never reused or skipped on commit."""

    __tablename__ = "reference_counters"
    __table_args__ = (UniqueConstraint("prefix", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer, default=0)
