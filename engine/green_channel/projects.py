"""Keeping the key-project list: add, edit, deactivate (never delete: the
cases flagged for a project keep pointing at it)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from models import KeyProject, User, utcnow
from models.key_project import PROJECT_LEVELS

from ..identity import is_valid_id_card, is_valid_uscc
from ..runtime.access import STAFF_ROLES
from ..runtime.errors import Forbidden, InvalidData, NotFound

MAINTAINERS = ("supervisor", "admin")
STEWARD_ROLES = (*STAFF_ROLES, "supervisor")


def stewards(session) -> list[User]:
    """Who may steward a project: active staff."""
    return list(session.scalars(select(User).where(User.role.in_(STEWARD_ROLES), User.active.is_(True))
                                .order_by(User.department_code, User.username)))


def save_project(db, user_id: int, *, name: str, level: str, applicant_key: str, steward_id: int,
                 note: str = "", active: bool = True, project_id: int | None = None,
                 now: datetime | None = None) -> int:
    """Create (project_id None) or change a key project; return its id."""
    now = now or utcnow()
    name, key, note = (name or "").strip(), (applicant_key or "").strip().upper(), (note or "").strip()
    errors = {}
    if not name or len(name) > 200:
        errors["name"] = {"zh": "请填写项目名称（不超过 200 字）", "en": "a name of at most 200 characters"}
    if level not in PROJECT_LEVELS:
        errors["level"] = {"zh": "请选择市级或区级", "en": "choose city or district"}
    if not (is_valid_uscc(key) or is_valid_id_card(key)):
        errors["applicant_key"] = {"zh": "统一社会信用代码或身份证号码无效",
                                   "en": "not a valid unified social credit code or ID card number"}
    with db.write() as session:
        actor = session.get(User, user_id)
        if actor is None or not actor.active or actor.role not in MAINTAINERS:
            raise Forbidden("only a supervisor keeps the key-project list")
        steward = session.get(User, steward_id) if steward_id else None
        if steward is None or not steward.active or steward.role not in STEWARD_ROLES:
            errors["steward_id"] = {"zh": "请选择一名在岗工作人员", "en": "choose an active staff member"}
        if errors:
            raise InvalidData(f"the key project has {len(errors)} error(s)", errors)
        if project_id is None:
            project = KeyProject(created_by_id=actor.id, created_at=now)
            session.add(project)
        else:
            project = session.get(KeyProject, project_id)
            if project is None:
                raise NotFound(f"no key project {project_id}")
        project.name, project.level, project.applicant_key = name, level, key
        project.steward_id, project.note, project.active, project.updated_at = steward.id, note, active, now
        session.flush()
        return project.id
