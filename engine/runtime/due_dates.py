"""A user task's own due time from its `camunda:dueDate` expression
(DESIGN.md decisions 1 and 6), evaluated once, when its work item starts.

The expression is Python run by the restricted evaluator (the workflow's
script engine) on the task's data, with the working-time helpers and `now()`
on the command's moment: `add_working_days(now(), 3)`, or a date the case
data holds (`approvals[caller['permit']].get('post_check_due')`). It may give
a datetime (text without a zone is Beijing time), or a date, meaning the
end of that working day (18:00 Beijing). None means "no due date of its own":
the legal limit holds. An expression that fails at run time (an error, a
value that is no moment, a year without calendar data) also falls back to
the legal limit, and the case records why, so that a designer sees it."""
from __future__ import annotations

from datetime import date, datetime, timezone

from ..clock import running_at
from ..timers import moment
from ..workcalendar import BEIJING, END_OF_DAY

DUE_DATE_FAILED = "due_date_failed"  # the case event


def due_moment(value) -> datetime:
    """A dueDate value as an aware UTC datetime; TimerValueError if it is none."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, END_OF_DAY, BEIJING).astimezone(timezone.utc)
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return due_moment(date.fromisoformat(value.strip()))
        except ValueError:
            pass  # not a bare date: moment() says what is wrong with it
    return moment(value)


def task_due(task, expression: str, now: datetime, fallback: datetime | None) -> tuple[datetime | None, dict | None]:
    """(the work item's due time, the payload of a due_date_failed event or None)."""
    if not expression:
        return fallback, None
    try:
        with running_at(now):
            value = task.workflow.script_engine.evaluate(task, expression)
        return (fallback if value is None else due_moment(value)), None
    except Exception as exc:  # noqa: BLE001 - whatever the designer's expression did, the legal limit holds
        return fallback, {"expression": expression, "error": f"{type(exc).__name__}: {exc}"[:500],
                          "due_at": fallback.isoformat() if fallback else None}
