"""Who may open which page. Every route states its roles; case pages also
check the case itself (DESIGN: a reviewer sees only their department's
work, an applicant only their own cases). A case that may not be seen is a
404, so guessing ids tells nothing."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import exists, or_, select

from models import Case, CaseEvent, KeyProject, KeyProjectCase, WorkItem

STAFF = ("clerk", "reviewer")
OVERSIGHT = ("supervisor", "admin")


def roles_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            if current_user.role in STAFF and not current_user.department_code:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def visible_case_filter(user):
    """A WHERE clause on cases for what `user` may see."""
    if user.role in OVERSIGHT or (user.role == "clerk" and user.department_code == "CK"):
        return True
    # 绿色通道: a key project's steward (项目管家) follows its cases.
    stewarded = exists(select(KeyProjectCase.case_id).join(KeyProject, KeyProject.id == KeyProjectCase.key_project_id)
                       .where(KeyProjectCase.case_id == Case.id, KeyProject.steward_id == user.id))
    if user.role == "reviewer":
        dept = user.department_code
        return or_(
            exists(select(WorkItem.id).where(WorkItem.case_id == Case.id, WorkItem.department_code == dept)),
            exists(select(CaseEvent.id).where(CaseEvent.case_id == Case.id, CaseEvent.department_code == dept)),
            stewarded,
        )
    if user.role == "applicant":
        return Case.applicant_id == user.id
    return stewarded if user.role in STAFF else False


def load_visible_case(session, case_id: int) -> Case:
    case = session.scalar(select(Case).where(Case.id == case_id, visible_case_filter(current_user)))
    if case is None:
        abort(404)
    return case
