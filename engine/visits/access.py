"""Who sees which visit request: the applicant their own, the two assigned
staff theirs, supervisors and admins every one. Anything else is treated
as not existing."""
from __future__ import annotations

from sqlalchemy import false, or_, select, true

from models import VisitRequest

from .errors import VisitNotFound

OVERSIGHT = ("supervisor", "admin")


def visible_visit_filter(user):
    if user.role in OVERSIGHT:
        return true()
    if user.role == "applicant":
        return VisitRequest.applicant_id == user.id
    if user.role in ("clerk", "reviewer"):
        return or_(VisitRequest.staff1_id == user.id, VisitRequest.staff2_id == user.id)
    return false()


def load_visible(session, user, request_id: int, lock: bool = False) -> VisitRequest:
    query = select(VisitRequest).where(VisitRequest.id == request_id, visible_visit_filter(user))
    if lock:
        query = query.with_for_update()
    visit = session.scalar(query)
    if visit is None:
        raise VisitNotFound(request_id)
    return visit
