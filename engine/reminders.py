"""Reminders before a work item is due and escalation once it is overdue
(the sweep's job "remind_and_escalate", engine/timer_jobs.py).

A reminder goes to the claimant, or to the department's members while
nobody has claimed the item, when little working time remains: at most one
working day, or a fraction of the item's own working time if that is
shorter (a 4-hour item is reminded 1 hour before, not at once). An overdue
item is escalated to its department's head (users.department_head) and to
every supervisor. Each happens once per work item: a conditional UPDATE of
work_items.reminded_at / escalated_at decides which worker does it, and the
notifications and the case event are written in that same transaction.

即办 items (legal limit 0: due when they start) are done at the counter and
get neither; their timeliness is the dashboard's business."""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from models import Case, CaseEvent, User, WorkItem

from .notifications import notify, notify_department, notify_role
from .runtime.service import SYSTEM_ACTOR
from .workcalendar import CalendarDataMissing, working_time_between

log = logging.getLogger("onewindow.reminders")

# However the calendar falls (the Spring Festival and its weekends), one
# working day is less than this much wall-clock time: rows due later are not
# read at all.
HORIZON = timedelta(days=16)
ITEMS = WorkItem.__table__


@dataclass(frozen=True)
class ReminderPolicy:
    before_hours: float = 8.0  # one working day
    fraction: float = 0.25  # of the item's working time, if that is shorter

    @classmethod
    def from_env(cls) -> "ReminderPolicy":
        return cls(float(os.environ.get("ONEWINDOW_REMIND_BEFORE_HOURS", cls.before_hours)),
                   float(os.environ.get("ONEWINDOW_REMIND_FRACTION", cls.fraction)))

    def threshold(self, total: timedelta) -> timedelta:
        return min(timedelta(hours=self.before_hours), total * self.fraction)


def remind_and_escalate(db, now: datetime, policy: ReminderPolicy | None = None) -> int:
    """Send what is due at `now`; returns how many reminders and escalations."""
    return remind(db, now, policy or ReminderPolicy.from_env()) + escalate(db, now)


def remind(db, now: datetime, policy: ReminderPolicy) -> int:
    with db.transaction() as conn:
        rows = conn.execute(select(ITEMS.c.id, ITEMS.c.created_at, ITEMS.c.due_at).where(
            ITEMS.c.reminded_at.is_(None), ITEMS.c.escalated_at.is_(None), ITEMS.c.due_at > now,
            ITEMS.c.due_at <= now + HORIZON, ITEMS.c.due_at > ITEMS.c.created_at).order_by(ITEMS.c.due_at)).all()
    done = 0
    for row in rows:
        try:
            remaining = working_time_between(now, row.due_at)
            total = working_time_between(row.created_at, row.due_at)
        except CalendarDataMissing as exc:
            log.warning("work item %s: %s", row.id, exc)
            continue
        if total > timedelta() and remaining <= policy.threshold(total):
            done += _act(db, row.id, now, "reminded", remaining)
    return done


def escalate(db, now: datetime) -> int:
    with db.transaction() as conn:
        ids = conn.execute(select(ITEMS.c.id).where(
            ITEMS.c.escalated_at.is_(None), ITEMS.c.due_at < now, ITEMS.c.due_at > ITEMS.c.created_at)
            .order_by(ITEMS.c.due_at)).scalars().all()
    return sum(_act(db, item_id, now, "escalated") for item_id in ids)


def _act(db, item_id: int, now: datetime, kind: str, remaining: timedelta | None = None) -> int:
    """Mark the item and tell the people, in one transaction; 0 when another
    worker marked it first or the item is gone (its task was completed)."""
    column = ITEMS.c.reminded_at if kind == "reminded" else ITEMS.c.escalated_at
    with db.transaction() as conn:
        won = conn.execute(update(ITEMS).where(ITEMS.c.id == item_id, column.is_(None))
                           .values({column.name: now})).rowcount == 1
        if not won:
            return 0
        item = conn.execute(select(ITEMS, Case.reference, Case.status).join(Case, Case.id == ITEMS.c.case_id)
                            .where(ITEMS.c.id == item_id)).one()
        link = f"/cases/{item.case_id}"
        due = item.due_at.isoformat(timespec="minutes")
        if kind == "reminded":
            title = f"办件即将到期：{item.reference} {item.title_zh}"
            body = f"剩余工作时间 {_hours(remaining)}，到期时间 {due}。"
            if item.claimed_by_id is not None:
                notify(conn, item.claimed_by_id, "work_due_soon", title, body, link, now=now)
                told = [item.claimed_by_name]
            else:
                count = notify_department(conn, item.department_code, "work_due_soon", title, body, link, now=now)
                told = [f"{item.department_code} ({count})"]
        else:
            title = f"办件已超期：{item.reference} {item.title_zh}"
            body = f"{item.department_code} 的办件已于 {due} 到期，" + (
                f"由 {item.claimed_by_name} 办理。" if item.claimed_by_id else "尚无人领取。")
            heads = conn.execute(select(User.id, User.username).where(
                User.department_code == item.department_code, User.department_head.is_(True),
                User.active.is_(True))).all()
            for head in heads:
                notify(conn, head.id, "work_overdue", title, body, link, channels=("sms",), now=now)
            notify_role(conn, "supervisor", "work_overdue", title, body, link, now=now)
            told = [head.username for head in heads] + ["supervisor"]
        conn.execute(insert(CaseEvent).values(
            case_id=item.case_id, at=now, actor_id=None, actor_name=SYSTEM_ACTOR, kind=kind,
            task_spec=item.task_spec, task_title=item.title_zh, department_code=item.department_code,
            payload={"task_id": item.task_id, "due_at": item.due_at.isoformat(), "notified": told}))
    return 1


def _hours(delta: timedelta | None) -> str:
    hours = (delta or timedelta()).total_seconds() / 3600
    return f"{hours:.1f} 小时"
