"""OneWindow's tables (SQLAlchemy 2.0). Imports neither engine nor web."""
from .api_token import ApiToken
from .base import Base, utcnow
from .case import Case, ReferenceCounter
from .case_event import CaseEvent
from .department import Department
from .enterprise_request import REQUEST_KINDS, REQUEST_STATUSES, EnterpriseEscalation, EnterpriseRequest
from .notification import Notification
from .policy_notice import NOTICE_AUDIENCES, PolicyNotice, PolicyNoticeIndustry
from .process_version import ProcessVersion
from .user import ROLES, User
from .work_item import WorkItem

__all__ = [
    "ApiToken", "Base", "utcnow", "Case", "ReferenceCounter", "CaseEvent", "Department", "Notification",
    "ProcessVersion", "ROLES", "User", "WorkItem",
]
__all__ += ["REQUEST_KINDS", "REQUEST_STATUSES", "EnterpriseEscalation", "EnterpriseRequest",
            "NOTICE_AUDIENCES", "PolicyNotice", "PolicyNoticeIndustry"]

from .database import Database, default_url  # noqa: E402

__all__ += ["Database", "default_url"]
