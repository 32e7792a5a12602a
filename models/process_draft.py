"""A scenario's working copy in the process studio: the text of its own
files (BPMN, DMN, forms, metadata.json) as the designer edits them, before
they are deployed as a new process version. One draft per scenario."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType, utcnow
from .types import UTCDateTime


class ProcessDraft(Base):
    __tablename__ = "process_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_key: Mapped[str] = mapped_column(String(64), unique=True)
    # The version the draft was opened from; None for a new scenario.
    base_version_id: Mapped[Optional[int]] = mapped_column(ForeignKey("process_versions.id"), default=None)
    # {path relative to the scenario folder ("restaurant.bpmn", "forms/intake.json",
    # "metadata.json"): text}.
    files: Mapped[dict] = mapped_column(JSONType)
    # The last validation: [{"file", "element", "message"}].
    problems: Mapped[list] = mapped_column(JSONType, default=list)
    # Optimistic locking: a save names the revision it edited; another is refused.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    updated_by_name: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
