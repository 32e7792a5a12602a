"""OneWindow's tables (SQLAlchemy 2.0). Imports neither engine nor web."""
from .api_token import ApiToken
from .appointment import Appointment
from .appointment_slot import AppointmentSlot
from .base import Base, utcnow
from .calendar import CalendarDay, CalendarYear
from .case import Case, ReferenceCounter
from .case_duration import CaseDuration
from .case_event import CaseEvent
from .department import Department
from .enterprise_request import EnterpriseEscalation, EnterpriseRequest, REQUEST_KINDS, REQUEST_STATUSES
from .hall_session import HallSession
from .hall_window import HallWindow
from .key_project import KeyProject
from .key_project_case import KeyProjectCase
from .notification import Notification
from .online_application import APPLICATION_STATUSES, ApplicationFile, OnlineApplication
from .policy_notice import NOTICE_AUDIENCES, PolicyNotice, PolicyNoticeIndustry
from .process_draft import ProcessDraft
from .process_version import ProcessVersion
from .ranking_weights import RankingWeights
from .rating import Rating
from .rating_appeal import RatingAppeal
from .rectification import Rectification
from .stored_file import StoredFile
from .user import ROLES, User
from .visit_record import VisitRecord
from .visit_request import VisitRequest
from .work_item import WorkItem
from .work_item_history import WorkItemHistory

__all__ = [
    "ApiToken",
    "APPLICATION_STATUSES",
    "ApplicationFile",
    "Appointment",
    "AppointmentSlot",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseDuration",
    "CaseEvent",
    "Department",
    "EnterpriseEscalation",
    "EnterpriseRequest",
    "HallSession",
    "HallWindow",
    "KeyProject",
    "KeyProjectCase",
    "NOTICE_AUDIENCES",
    "Notification",
    "OnlineApplication",
    "PolicyNotice",
    "PolicyNoticeIndustry",
    "ProcessDraft",
    "ProcessVersion",
    "RankingWeights",
    "Rating",
    "RatingAppeal",
    "Rectification",
    "ReferenceCounter",
    "REQUEST_KINDS",
    "REQUEST_STATUSES",
    "ROLES",
    "StoredFile",
    "User",
    "utcnow",
    "VisitRecord",
    "VisitRequest",
    "WorkItem",
    "WorkItemHistory",
]

from .database import Database, default_url  # noqa: E402

__all__ += ["Database", "default_url"]
