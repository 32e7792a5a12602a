"""People who sign in: staff with a role and a department, and applicants."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .department import Department
from .types import UTCDateTime

ROLES = ("clerk", "reviewer", "applicant", "designer", "supervisor", "admin")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    department_code: Mapped[Optional[str]] = mapped_column(
        ForeignKey("departments.code"), index=True, default=None
    )
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Optional[Department]] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role} {self.department_code}>"
