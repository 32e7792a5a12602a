"""The sweep's timer jobs (DESIGN.md decision 8): fire the BPMN timers that
are due, and remind and escalate work items (engine/reminders.py).

"fire_timers" reads the ids of cases whose `next_timer_at` has passed (an
index range scan on cases.next_timer_at) and hands each to
`Runtime.fire_timers` in its own transaction, which locks the case with FOR
UPDATE SKIP LOCKED on PostgreSQL and re-checks that it is still due: N
workers never fire one timer twice, and a case a user is working on is
simply left to the next sweep. Nothing is kept between sweeps, so a worker
that restarts misses nothing: a timer due while it was down fires at its
next sweep."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import bindparam, select, tuple_

from models import Case

from .jobs import JobContext, job
from .reminders import remind_and_escalate
from .runtime.errors import ProcessFailure
from .runtime.service import Runtime

log = logging.getLogger("onewindow.timers")
CASES = Case.__table__
BATCH = 500


def due_cases_query(now: datetime, after: tuple | None = None, batch: int = BATCH):
    """(next_timer_at, id) of cases with a timer due at `now`, earliest
    first, after the row `after` (keyset paging along the index on
    next_timer_at: a case that stays due is not read twice in a sweep)."""
    query = select(CASES.c.next_timer_at, CASES.c.id).where(CASES.c.next_timer_at <= now)
    if after is not None:
        query = query.where(tuple_(CASES.c.next_timer_at, CASES.c.id) > tuple_(
            bindparam(None, after[0], type_=CASES.c.next_timer_at.type), bindparam(None, after[1])))
    return query.order_by(CASES.c.next_timer_at, CASES.c.id).limit(batch)


def fire_due_timers(db, now: datetime, runtime: Runtime | None = None, batch: int = BATCH) -> int:
    """Fire every timer due at `now`; returns how many cases moved on."""
    runtime = runtime or Runtime(db, clock=lambda: now)
    fired, after = 0, None
    while True:
        with db.transaction() as conn:
            rows = conn.execute(due_cases_query(now, after, batch)).all()
        for _due, case_id in rows:
            try:
                if runtime.fire_timers(case_id, now) is not None:
                    fired += 1
            except ProcessFailure as exc:
                # The case stays as it was and due: the next sweep tries
                # again, and the failure is in the log for the designer.
                log.error("case %s: a timer could not fire: %s", case_id, exc)
        if len(rows) < batch:
            return fired
        after = tuple(rows[-1])


@job("fire_timers")
def _fire_timers(ctx: JobContext) -> int:
    return fire_due_timers(ctx.db, ctx.now)


@job("remind_and_escalate")
def _remind_and_escalate(ctx: JobContext) -> int:
    return remind_and_escalate(ctx.db, ctx.now)
