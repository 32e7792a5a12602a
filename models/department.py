"""Departments of the hall: the comprehensive window (CK) and the back
offices. A BPMN lane named "<code> <name>" belongs to the department."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Department(Base):
    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh
