"""Escalating breached deadlines (SCENARIOS.md §3): a request not signed
within its hour, or not answered within its 3 working days, is reported to
the supervisors and to the members of the department holding it (the
window while it waits for dispatch), exactly once per breach. A breach is
identified by (request, clock, deadline): a transfer or reopening sets a
new deadline, whose breach is escalated again.

The sweep finds candidates in one read, then handles each in its own
transaction: lock the request (SKIP LOCKED on PostgreSQL, so a second
worker passes over it), then look again in a fresh statement, which sees a
concurrent worker's committed escalation. The unique index on the
escalations is the last guard."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, exists, insert, select
from sqlalchemy.exc import IntegrityError

from models import EnterpriseEscalation, EnterpriseRequest

from ..departments import WINDOW
from ..jobs import JobContext, job
from ..notifications import notify_department, notify_role
from ..workcalendar import BEIJING
from .requests import OPEN_STATUSES, request_link

CLOCKS = {
    # breach -> (statuses in which the clock runs, due-time column)
    "sign": (("dispatching", "filed"), EnterpriseRequest.sign_due_at),
    "answer": (OPEN_STATUSES, EnterpriseRequest.answer_due_at),
}
TITLES = {"sign": "政企通诉求超时未签收", "answer": "政企通诉求超时未答复"}
BATCH = 500


def _breached(breach: str, now: datetime):
    statuses, due = CLOCKS[breach]
    already = exists(select(EnterpriseEscalation.id).where(
        EnterpriseEscalation.request_id == EnterpriseRequest.id, EnterpriseEscalation.breach == breach,
        EnterpriseEscalation.due_at == due))
    return and_(EnterpriseRequest.status.in_(statuses), due <= now, ~already)


def escalate_breaches(db, now: datetime) -> int:
    """Escalate every breach not escalated yet; returns how many."""
    with db.read() as session:
        candidates = [(breach, request_id) for breach in CLOCKS for request_id in session.scalars(
            select(EnterpriseRequest.id).where(_breached(breach, now)).order_by(EnterpriseRequest.id).limit(BATCH))]
    return sum(_escalate_one(db, breach, request_id, now) for breach, request_id in candidates)


def _escalate_one(db, breach: str, request_id: int, now: datetime) -> int:
    try:
        with db.transaction() as conn:
            lock = select(EnterpriseRequest.id).where(EnterpriseRequest.id == request_id)
            if not db.is_sqlite:  # SQLite's BEGIN IMMEDIATE already serialises writers
                lock = lock.with_for_update(skip_locked=True)
            if conn.execute(lock).first() is None:
                return 0  # another worker holds it
            req = conn.execute(select(EnterpriseRequest.reference, EnterpriseRequest.subject,
                                      EnterpriseRequest.department_code, CLOCKS[breach][1].label("due_at"))
                               .where(EnterpriseRequest.id == request_id, _breached(breach, now))).first()
            if req is None:
                return 0  # escalated meanwhile, or signed/answered
            dept = req.department_code or WINDOW
            title = f"{TITLES[breach]}：{req.reference}"
            body = (f"{req.subject}\n时限 {req.due_at.astimezone(BEIJING):%Y-%m-%d %H:%M}，"
                    f"责任部门 {dept}")
            link = request_link(request_id)
            notified = notify_role(conn, "supervisor", "enterprise_escalation", title, body, link, now=now)
            notified += notify_department(conn, dept, "enterprise_escalation", title, body, link, now=now)
            conn.execute(insert(EnterpriseEscalation).values(
                request_id=request_id, breach=breach, due_at=req.due_at, department_code=dept,
                escalated_at=now, notified=notified))
        return 1
    except IntegrityError:
        return 0  # a concurrent worker recorded this breach first


@job("enterprise_escalation")
def _sweep_job(ctx: JobContext) -> int:
    return escalate_breaches(ctx.db, ctx.now)
