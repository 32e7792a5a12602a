"""The hall's windows, grouped in zones (A区 综合受理, B区 工程建设, ...):
appointment slots are offered per window and service category."""
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, JSONType


class HallWindow(Base):
    __tablename__ = "hall_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # "A01"
    zone_zh: Mapped[str] = mapped_column(String(100))
    zone_en: Mapped[str] = mapped_column(String(200))
    # Service categories this window takes (ProcessVersion.category).
    categories: Mapped[list] = mapped_column(JSONType, default=list)
    # Applicants one window serves in one slot.
    slot_capacity: Mapped[int] = mapped_column(default=2)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
