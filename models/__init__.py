"""OneWindow's tables (SQLAlchemy 2.0). Imports neither engine nor web."""
from .api_token import ApiToken
from .base import Base, utcnow
from .calendar import CalendarDay, CalendarYear
from .case import Case, ReferenceCounter
from .case_duration import CaseDuration
from .case_event import CaseEvent
from .department import Department
from .notification import Notification
from .process_version import ProcessVersion
from .ranking_weights import RankingWeights
from .stored_file import StoredFile
from .user import ROLES, User
from .work_item import WorkItem
from .work_item_history import WorkItemHistory

__all__ = [
    "ApiToken", "Base", "utcnow", "CalendarDay", "CalendarYear", "Case", "ReferenceCounter", "CaseEvent", "Department", "Notification",
    "ProcessVersion", "ROLES", "StoredFile", "User", "WorkItem",
    "CaseDuration", "RankingWeights", "WorkItemHistory",
]

from .database import Database, default_url  # noqa: E402

__all__ += ["Database", "default_url"]
