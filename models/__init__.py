"""OneWindow's tables (SQLAlchemy 2.0). Imports neither engine nor web."""
from .api_token import ApiToken
from .base import Base, utcnow
from .case import Case, ReferenceCounter
from .case_event import CaseEvent
from .department import Department
from .key_project import KeyProject
from .key_project_case import KeyProjectCase
from .notification import Notification
from .process_version import ProcessVersion
from .rating import Rating
from .rating_appeal import RatingAppeal
from .rectification import Rectification
from .user import ROLES, User
from .work_item import WorkItem

__all__ = [
    "ApiToken", "Base", "utcnow", "Case", "ReferenceCounter", "CaseEvent", "Department", "Notification",
    "ProcessVersion", "ROLES", "User", "WorkItem",
    "KeyProject", "KeyProjectCase", "Rating", "RatingAppeal", "Rectification",
]

from .database import Database, default_url  # noqa: E402

__all__ += ["Database", "default_url"]
