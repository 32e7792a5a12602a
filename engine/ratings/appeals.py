"""申诉复核: a department appeals a rating it holds mistaken or malicious (one
appeal per rectification); a supervisor decides. Upheld: the rating stays
and the rectification goes on. Granted: the rating is excluded from scoring
and the rating's open rectifications are annulled; both are recorded."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from models import Case, Rating, RatingAppeal, Rectification, User, utcnow

from ..case_audit import record_event
from ..notifications import notify_department, notify_role
from ..runtime.errors import Conflict, Forbidden, NotFound
from .rectifications import _department_member, _note

DECIDERS = ("supervisor", "admin")


def file_appeal(db, rect_id: int, user_id: int, reason: str, now: datetime | None = None) -> int:
    now = now or utcnow()
    reason = _note(reason, "reason")
    with db.write() as session:
        rect, user = _department_member(session, rect_id, user_id)
        if rect.status == "annulled":
            raise Conflict(f"rectification {rect.id} was annulled on appeal already")
        if session.scalar(select(RatingAppeal.id).where(RatingAppeal.rectification_id == rect.id)) is not None:
            raise Conflict(f"rectification {rect.id} has been appealed already; an appeal is filed once")
        appeal = RatingAppeal(rectification_id=rect.id, rating_id=rect.rating_id,
                              department_code=rect.department_code, reason=reason, filed_by_id=user.id,
                              filed_at=now, status="pending", decision_note="")
        session.add(appeal)
        session.flush()
        record_event(session, rect.case_id, now, "rating_appealed", user, rect.department_code,
                     {"appeal": appeal.id, "rectification": rect.id})
        reference = session.scalar(select(Case.reference).where(Case.id == rect.case_id))
        notify_role(session, "supervisor", "rating_appeal", f"差评申诉待复核：{reference}",
                    f"{rect.department_code} 申诉：{reason}", f"/rectifications/{rect.id}", now=now)
        return appeal.id


def decide_appeal(db, appeal_id: int, user_id: int, grant: bool, note: str = "",
                  now: datetime | None = None) -> None:
    now = now or utcnow()
    with db.write() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or user.role not in DECIDERS:
            raise Forbidden("only a supervisor decides an appeal")
        appeal = session.scalar(select(RatingAppeal).where(RatingAppeal.id == appeal_id).with_for_update())
        if appeal is None:
            raise NotFound(f"no appeal {appeal_id}")
        if appeal.status != "pending":
            raise Conflict(f"appeal {appeal.id} was already decided ({appeal.status})")
        appeal.status = "granted" if grant else "upheld"
        appeal.decided_by_id, appeal.decided_at, appeal.decision_note = user.id, now, (note or "").strip()[:2000]
        rating = session.get(Rating, appeal.rating_id)
        if grant:
            rating.excluded, rating.excluded_at = True, now
            for rect in session.scalars(select(Rectification).where(Rectification.rating_id == rating.id,
                                                                    Rectification.status == "open")):
                rect.status, rect.closed_at, rect.closed_by_id = "annulled", now, user.id
        record_event(session, rating.case_id, now, "rating_appeal_decided", user, appeal.department_code,
                     {"appeal": appeal.id, "decision": appeal.status})
        notify_department(session, appeal.department_code, "rating_appeal_decided",
                          "差评申诉已复核：" + ("申诉成立，该评价不计入考核" if grant else "维持原评价"),
                          appeal.decision_note, f"/rectifications/{appeal.rectification_id}", now=now)
