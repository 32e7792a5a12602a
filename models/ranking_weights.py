"""The quarterly ranking's formula as the supervisor set it: the weight in
percent of each part of a department's score (one row, id 1; the defaults
hold while there is none)."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow
from .types import UTCDateTime


class RankingWeights(Base):
    __tablename__ = "ranking_weights"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    on_time: Mapped[int] = mapped_column(Integer)
    speed: Mapped[int] = mapped_column(Integer)
    ratings: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
