"""OneWindow's tables (SQLAlchemy 2.0). Imports neither engine nor web."""
from .api_token import ApiToken
from .base import Base, utcnow
from .case import Case, ReferenceCounter
from .case_event import CaseEvent
from .department import Department
from .notification import Notification
from .online_application import APPLICATION_STATUSES, ApplicationFile, OnlineApplication
from .process_version import ProcessVersion
from .stored_file import StoredFile
from .user import ROLES, User
from .work_item import WorkItem

__all__ = [
    "ApiToken", "Base", "utcnow", "Case", "ReferenceCounter", "CaseEvent", "Department", "Notification",
    "APPLICATION_STATUSES", "ApplicationFile", "OnlineApplication",
    "ProcessVersion", "ROLES", "StoredFile", "User", "WorkItem",
]

from .database import Database, default_url  # noqa: E402

__all__ += ["Database", "default_url"]
