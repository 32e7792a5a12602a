"""People who sign in: staff with a role and a department, and applicants."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Boolean, ForeignKey, String, false
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
    # Applicants (a person, or a company acting through an authorised agent):
    # the person's or the agent's ID card number, the company's unified
    # social credit code, its name and industry (policy notices go by it).
    id_number: Mapped[str] = mapped_column(String(18), index=True, default="")
    uscc: Mapped[str] = mapped_column(String(18), index=True, default="")
    company_name: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(32), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The head of the department (科室负责人): overdue work is escalated to
    # them and to the supervisors (engine/reminders.py).
    department_head: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Optional[Department]] = relationship(lazy="joined")

    @property
    def is_company(self) -> bool:
        return bool(self.uscc)

    @property
    def applicant_key(self) -> str:
        """How cases name their applicant (models.Case.applicant_key)."""
        return self.uscc or self.id_number

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role} {self.department_code}>"
