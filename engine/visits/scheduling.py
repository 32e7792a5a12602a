"""The supervisor assigns two different staff and a time to a request:
window clerks (CK) or reviewers of a department the requested items
involve. Both staff learn it in their inbox, the applicant also by SMS."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select

from engine.notifications import notify
from engine.workcalendar import BEIJING
from models import User, VisitRequest

from .access import load_visible
from .catalog import departments_of
from .errors import VisitRefused

SCHEDULABLE = ("requested", "scheduled", "follow_up", "absent")


def eligible_staff(session, visit: VisitRequest) -> list[User]:
    departments = departments_of(session, visit.items) - {"CK"}
    return session.scalars(select(User).where(User.active.is_(True), or_(
        and_(User.role == "clerk", User.department_code == "CK"),
        and_(User.role == "reviewer", User.department_code.in_(departments or {""}))))
        .order_by(User.department_code, User.username)).all()


def assign(session, supervisor, request_id: int, staff_ids: list[int], scheduled_at: datetime,
           now: datetime) -> VisitRequest:
    if supervisor.role not in ("supervisor", "admin") or not supervisor.active:
        raise VisitRefused("只有督查员可以指派上门人员", "only a supervisor assigns visit staff")
    visit = load_visible(session, supervisor, request_id, lock=True)
    if visit.status not in SCHEDULABLE:
        raise VisitRefused("该申请已完成或已取消，不能再指派", "the request is completed or cancelled")
    ids = [int(i) for i in staff_ids if i]
    if len(ids) != 2 or ids[0] == ids[1]:
        raise VisitRefused("须指派两名不同的工作人员", "assign two different staff members")
    allowed = {u.id for u in eligible_staff(session, visit)}
    if not set(ids) <= allowed:
        raise VisitRefused("所选人员须为在岗的综合窗口人员或相关部门审批人员",
                           "staff must be active window clerks or reviewers of a department concerned")
    if scheduled_at <= now:
        raise VisitRefused("上门时间须晚于现在", "the visit time must be in the future")
    visit.staff1_id, visit.staff2_id = ids
    visit.scheduled_at, visit.assigned_by_id = scheduled_at, supervisor.id
    visit.status, visit.updated_at = "scheduled", now
    when = scheduled_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    for staff_id in ids:
        notify(session, staff_id, "visit_assigned", f"上门服务任务 #{visit.id}：{when}",
               f"{visit.address}，联系人 {visit.contact_name} {visit.contact_phone}", f"/visits/{visit.id}", now=now)
    notify(session, visit.applicant_id, "visit_scheduled", "上门服务已安排",
           f"工作人员将于 {when} 上门（{visit.address}），请保持电话畅通。", f"/my/visits/{visit.id}",
           channels=("sms",), now=now)
    return visit
