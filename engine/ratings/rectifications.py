"""A 差评's rectification, one per handling department (谁办理、谁负责): opened
with its deadlines, the callback to the applicant (required before any
outcome: the callback rate for real-name 差评 must be 100%), the outcome,
which closes it and tells the applicant; for a "logged" outcome (建立台账、
限期整改), the fix done by its own date (the overdue ones are reported by
the sweep, engine/ratings/sweeps.py)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, union

from models import Case, CaseEvent, Rating, Rectification, User, WorkItem, utcnow

from ..appointments.hall_calendar import beijing_today
from ..case_audit import record_event
from ..departments import WINDOW
from ..notifications import notify, notify_department, notify_role
from ..runtime.access import may_work_in
from ..runtime.errors import Conflict, InvalidData, NotFound
from ..runtime.projections import due_after
from .rules import CALLBACK_WORKING_DAYS, RECTIFICATION_WORKING_DAYS

OUTCOME_NAMES = {"immediate": "立行立改", "logged": "建立台账、限期整改", "explained": "无法律依据，已解释说明"}
MAX_NOTE = 2000


def handling_departments(session, case_id: int) -> list[str]:
    """The departments that worked on the case (completed a task of it, or
    hold one still), the comprehensive window included when it did."""
    done = select(CaseEvent.department_code).where(CaseEvent.case_id == case_id,
                                                    CaseEvent.kind == "task_completed",
                                                    CaseEvent.department_code != "")
    held = select(WorkItem.department_code).where(WorkItem.case_id == case_id)
    codes = sorted(session.scalars(union(done, held)))
    return codes or [WINDOW]


def open_for(session, rating: Rating, case: Case, now: datetime) -> list[Rectification]:
    """One rectification per handling department, each told in its inbox."""
    opened = []
    for dept in handling_departments(session, case.id):
        rect = Rectification(rating_id=rating.id, case_id=case.id, department_code=dept, status="open",
                             opened_at=now, verify_by=due_after(now, CALLBACK_WORKING_DAYS),
                             deadline_at=due_after(now, RECTIFICATION_WORKING_DAYS), callback_note="",
                             outcome="", outcome_note="")
        session.add(rect)
        session.flush()
        record_event(session, case.id, now, "rectification_opened", department_code=dept,
                     payload={"rectification": rect.id, "score": rating.score})
        notify_department(session, dept, "rectification_opened", f"差评整改：{case.reference}",
                          f"办件 {case.reference} 收到 {rating.score} 星差评，请在 1 个工作日内回访申请人，"
                          f"并在 {RECTIFICATION_WORKING_DAYS:g} 个工作日内完成整改。",
                          f"/rectifications/{rect.id}", now=now)
        opened.append(rect)
    return opened


def _department_member(session, rect_id: int, user_id: int) -> tuple[Rectification, User]:
    """The rectification, for a clerk or reviewer of its department; to
    anyone else it does not exist."""
    user = session.get(User, user_id)
    rect = session.scalar(select(Rectification).where(Rectification.id == rect_id).with_for_update())
    if rect is None or user is None or not may_work_in(user, rect.department_code):
        raise NotFound(f"no rectification {rect_id} of your department")
    return rect, user


def _note(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text or len(text) > MAX_NOTE:
        raise InvalidData(f"{field}: 1 to {MAX_NOTE} characters", {field: {
            "zh": f"请填写（不超过 {MAX_NOTE} 字）", "en": f"required, at most {MAX_NOTE} characters"}})
    return text


def record_callback(db, rect_id: int, user_id: int, note: str, now: datetime | None = None) -> None:
    """Who called the applicant back, when, and what was said."""
    now = now or utcnow()
    note = _note(note, "callback_note")
    with db.write() as session:
        rect, user = _department_member(session, rect_id, user_id)
        if rect.status != "open":
            raise Conflict(f"rectification {rect.id} is {rect.status}")
        if rect.callback_at is not None:
            raise Conflict(f"the callback of rectification {rect.id} was already recorded")
        rect.callback_at, rect.callback_by_id, rect.callback_note = now, user.id, note
        record_event(session, rect.case_id, now, "rectification_callback", user, rect.department_code,
                     {"rectification": rect.id})


def record_outcome(db, rect_id: int, user_id: int, outcome: str, note: str, due_on: date | None = None,
                   now: datetime | None = None) -> None:
    """Fixed at once, logged with its own date, or explained; closes the
    rectification and tells the applicant."""
    now = now or utcnow()
    note = _note(note, "outcome_note")
    if outcome not in OUTCOME_NAMES:
        raise InvalidData(f"unknown outcome {outcome!r}", {"outcome": {"zh": "请选择整改结果",
                                                                      "en": "choose an outcome"}})
    if outcome == "logged" and due_on is None:
        raise InvalidData("a logged rectification needs its date", {"outcome_due_on": {
            "zh": "建立台账须填写整改期限", "en": "a logged rectification needs its date"}})
    with db.write() as session:
        rect, user = _department_member(session, rect_id, user_id)
        if rect.status != "open":
            raise Conflict(f"rectification {rect.id} is {rect.status}")
        if rect.callback_at is None:
            raise Conflict("call the applicant back before recording the outcome")
        rect.outcome, rect.outcome_note = outcome, note
        rect.outcome_due_on = due_on if outcome == "logged" else None
        rect.status, rect.closed_at, rect.closed_by_id = "closed", now, user.id
        record_event(session, rect.case_id, now, "rectification_closed", user, rect.department_code,
                     {"rectification": rect.id, "outcome": outcome})
        case = session.get(Case, rect.case_id)
        if case.applicant_id is not None:
            notify(session, case.applicant_id, "rectification_closed", f"您的评价已处理：{case.reference}",
                   f"{rect.department_code}：{OUTCOME_NAMES[outcome]}。{note}", f"/my/cases/{case.id}/rating", now=now)


def record_fix(db, rect_id: int, user_id: int, note: str, now: datetime | None = None) -> None:
    """The department's word that a logged fix was done (销号): once, and
    told to the applicant, and to the supervisor when it was reported
    overdue."""
    now = now or utcnow()
    note = _note(note, "fixed_note")
    with db.write() as session:
        rect, user = _department_member(session, rect_id, user_id)
        if rect.outcome != "logged":
            raise Conflict(f"rectification {rect.id} has no logged fix to record")
        if rect.fixed_at is not None:
            raise Conflict(f"the fix of rectification {rect.id} was already recorded")
        rect.fixed_at, rect.fixed_by_id, rect.fixed_note = now, user.id, note
        record_event(session, rect.case_id, now, "rectification_fixed", user, rect.department_code,
                     {"rectification": rect.id, "due_on": rect.outcome_due_on.isoformat(),
                      "late": fix_state(rect, now) == "fixed_late"})
        case = session.get(Case, rect.case_id)
        if case.applicant_id is not None:
            notify(session, case.applicant_id, "rectification_fixed", f"整改已完成：{case.reference}",
                   f"{rect.department_code}：{note}", f"/my/cases/{case.id}/rating", now=now)
        if rect.fix_escalated_at is not None:
            notify_role(session, "supervisor", "rectification_fixed", f"逾期整改已完成：{case.reference}",
                        f"{rect.department_code}：{note}", f"/rectifications/{rect.id}", now=now)


def fix_state(rect: Rectification, now: datetime) -> str:
    """Where a logged fix stands: "" (not a logged outcome), "pending",
    "overdue", "fixed" or "fixed_late". A fix is due by the end of its day
    in Beijing."""
    if rect.outcome != "logged" or rect.outcome_due_on is None:
        return ""
    if rect.fixed_at is not None:
        return "fixed_late" if beijing_today(rect.fixed_at) > rect.outcome_due_on else "fixed"
    return "overdue" if beijing_today(now) > rect.outcome_due_on else "pending"


def visible_to(user) -> object:
    """A WHERE clause on rectifications: a department sees its own, the
    supervisor all."""
    if user.role in ("supervisor", "admin"):
        return True
    if user.role in ("clerk", "reviewer") and user.department_code:
        return Rectification.department_code == user.department_code
    return False


def load_visible(session, rect_id: int, user) -> Rectification:
    rect = session.scalar(select(Rectification).where(Rectification.id == rect_id, visible_to(user)))
    if rect is None:
        raise NotFound(f"no rectification {rect_id}")
    return rect

