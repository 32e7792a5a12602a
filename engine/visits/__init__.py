"""上门办 (on-site service, SCENARIOS.md §3): requests, two assigned staff,
the visit log with photos, the case started from a visit, the mailing.
No Flask here; web/visits calls these inside one transaction per command."""
from .access import load_visible, visible_visit_filter
from .case_link import VisitOrigin, intake_prefill
from .catalog import departments_of, offered_items
from .errors import VisitInvalid, VisitNotFound, VisitRefused
from .recording import PHOTO_PURPOSE, record_mailing, record_visit
from .requests import RequestInput, cancel_request, create_request, records_of
from .scheduling import assign, eligible_staff

__all__ = [
    "load_visible", "visible_visit_filter", "VisitOrigin", "intake_prefill", "departments_of", "offered_items",
    "VisitInvalid", "VisitNotFound", "VisitRefused", "PHOTO_PURPOSE", "record_mailing", "record_visit",
    "RequestInput", "cancel_request", "create_request", "records_of", "assign", "eligible_staff",
]
