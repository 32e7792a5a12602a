"""What the supervisor's figures need that the live projections drop: when
each work item became ready and ended, and how long each closed case took,
in working time on the legal calendar (DESIGN.md decision 7). Written by
the command that ends the item or closes the case, in its transaction;
the working time is computed here, once, because the calendar lives in
Python and the dashboard must aggregate in SQL."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from models import CaseDuration, WorkItemHistory

from ..workcalendar import CalendarDataMissing, working_time_between
from .store import CaseRecord, ItemRecord

HISTORY, DURATIONS = WorkItemHistory.__table__, CaseDuration.__table__
_INSERT_HISTORY, _INSERT_DURATION = insert(HISTORY), insert(DURATIONS)
CLOSED_BY_OUTCOME = ("completed", "rejected")  # the statuses the figures count (not withdrawals)


def working_seconds(start: datetime | None, end: datetime | None) -> int | None:
    """Working seconds from start to end; None when either is missing or a
    day in between has no calendar data (never a guessed figure)."""
    if start is None or end is None:
        return None
    try:
        return int(working_time_between(start, end).total_seconds())
    except CalendarDataMissing:
        return None


def _process_of(workflow, compiled, item: ItemRecord) -> str:
    """The BPMN process the item's task belongs to (a called block's own
    diagram, for the heat map)."""
    task = workflow.get_task_from_id(UUID(item.task_id)) if workflow is not None else None
    if task is not None:
        return compiled.task_info(task.task_spec).process_id
    # The task's subprocess is gone from the tree: the first process that has it.
    return next((pid for pid, spec in compiled.user_tasks if spec == item.task_spec), compiled.process_id)


def record_ended_items(conn: Connection, case: CaseRecord, gone: list[ItemRecord], completed: set[str],
                       workflow, compiled, now: datetime) -> None:
    rows = []
    for item in gone:
        used = working_seconds(item.created_at, now)
        rows.append({
            "case_id": case.id, "scenario_key": case.scenario_key, "process_version_id": case.process_version_id,
            "process_id": _process_of(workflow, compiled, item), "task_id": item.task_id,
            "task_spec": item.task_spec, "title_zh": item.title_zh, "title_en": item.title_en,
            "department_code": item.department_code, "permit": item.permit,
            "outcome": "completed" if item.task_id in completed else "cancelled",
            "ready_at": item.created_at, "ended_at": now, "due_at": item.due_at,
            "working_seconds": used, "allowed_seconds": working_seconds(item.created_at, item.due_at),
            "on_time": None if item.due_at is None else now <= item.due_at})
    if rows:
        conn.execute(_INSERT_HISTORY, rows)


def record_closed_case(conn: Connection, case: CaseRecord, now: datetime) -> None:
    conn.execute(_INSERT_DURATION, {
        "case_id": case.id, "scenario_key": case.scenario_key, "process_version_id": case.process_version_id,
        "status": case.status, "started_at": case.created_at, "closed_at": now, "due_at": case.due_at,
        "working_seconds": working_seconds(case.created_at, now),
        "on_time": None if case.due_at is None else now <= case.due_at})
