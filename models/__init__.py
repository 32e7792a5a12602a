"""OneWindow's tables (SQLAlchemy 2.0). Imports neither engine nor web."""
from .api_token import ApiToken
from .appointment import Appointment
from .appointment_slot import AppointmentSlot
from .base import Base, utcnow
from .calendar import CalendarDay, CalendarYear
from .case import Case, ReferenceCounter
from .case_event import CaseEvent
from .department import Department
from .user import ROLES, User
from .visit_record import VisitRecord
from .visit_request import VisitRequest
from .work_item import WorkItem

__all__ = [
    "ApiToken",
    "Appointment",
    "AppointmentSlot",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "Department",
    "HallSession",
    "HallWindow",
    "KeyProject",
    "KeyProjectCase",
    "Notification",
    "ProcessVersion",
    "Rating",
    "RatingAppeal",
    "Rectification",
    "ReferenceCounter",
    "ROLES",
    "StoredFile",
    "User",
    "utcnow",
    "VisitRecord",
    "VisitRequest",
    "WorkItem",
]
__all__ += ["REQUEST_KINDS", "REQUEST_STATUSES", "EnterpriseEscalation", "EnterpriseRequest",
            "NOTICE_AUDIENCES", "PolicyNotice", "PolicyNoticeIndustry"]

from .database import Database, default_url  # noqa: E402

__all__ += ["Database", "default_url"]
