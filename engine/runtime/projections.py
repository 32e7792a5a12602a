"""Keep the tables that pages read in step with the workflow, in the same
transaction as the state (DESIGN.md decision 4): one work item per READY
user task, and the case's status, current step and due time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Connection
from SpiffWorkflow.util.task import TaskState

from ..gateways import LIVE
from ..specs import CompiledProcess
from ..timers import next_due
from ..workcalendar import CalendarDataMissing, add_working_days, add_working_hours, working_time_between
from . import due_dates, history, store
from .store import CaseRecord, ItemRecord


def approval_limits(metadata: dict) -> dict[str, float]:
    """Legal limit in working days per approval key, the scenario's own and
    those of the shared blocks it calls."""
    limits = {}
    for meta in [*(metadata.get("blocks") or {}).values(), metadata]:
        for approval in meta.get("approvals") or []:
            if approval.get("key") and approval.get("legal_limit_working_days") is not None:
                limits[approval["key"]] = float(approval["legal_limit_working_days"])
    return limits


def block_promise(metadata: dict, process_id: str) -> float | None:
    """A shared block's promise, for its tasks that decide no approval of
    their own (the correction notice within 5 working days, delivery within
    1): `<block>@<caller>/<call>` is a call-site copy of <block>."""
    block = (metadata.get("blocks") or {}).get(process_id.split("@", 1)[0])
    days = block.get("promised_working_days") if block else None
    return float(days) if days is not None else None


def item_limit(legal_limit: float | None, promise: float | None) -> float | None:
    """A work item's time in working days: its approval's legal limit, or
    its block's promise when the hall promised faster than the law (the
    company set-up block: registration's legal 3 days, Jianghan's promise
    half a day for the whole block), or the promise alone."""
    limits = [days for days in (legal_limit, promise) if days is not None]
    return min(limits) if limits else None


def due_after(start: datetime, working_days: float | None) -> datetime | None:
    if working_days is None:
        return None
    try:
        return add_working_days(start, working_days)
    except CalendarDataMissing:
        return None  # shown as "no calendar data" by the pages; never a guessed date


def final_status(workflow) -> str:
    data = workflow.last_task.data if workflow.last_task is not None else {}
    return "rejected" if data.get("outcome") == "rejected" else "completed"


def update_case(case: CaseRecord, ready: dict, compiled: CompiledProcess, workflow, now: datetime) -> None:
    """The case's own columns: current step, status, timestamps."""
    case.current_step = "、".join(compiled.task_info(t.task_spec).title for t in ready.values())[:500]
    case.updated_at = now
    if workflow.is_completed() and case.status == "running":
        case.status = final_status(workflow)
        case.closed_at = now
    # The sweep's index (engine/timer_jobs.py): the earliest pending timer.
    case.next_timer_at = next_due(workflow) if case.status == "running" else None


def run_clock(case: CaseRecord, ready: dict, compiled: CompiledProcess, now: datetime) -> dict | None:
    """Stop the case's clock when a clock-pausing task (property clock=paused)
    starts waiting, restart it when none waits any more and push the due
    time back by the working time it stood still (行政许可法: the
    applicant's correction, testing and expert review do not count).
    Returns the case event to record, if the clock changed."""
    waiting = any(compiled.task_info(t.task_spec).pauses_clock for t in ready.values())
    if waiting and case.clock_paused_at is None:
        case.clock_paused_at = now
        return {"kind": "clock_paused", "payload": {}}
    if waiting or case.clock_paused_at is None:
        return None
    since, case.clock_paused_at = case.clock_paused_at, None
    try:
        stood = working_time_between(since, now)
        case.due_at = add_working_hours(case.due_at, stood.total_seconds() / 3600) if case.due_at else None
    except CalendarDataMissing:
        stood, case.due_at = now - now, None  # no calendar data: no date rather than a guessed one
    case.clock_paused_seconds += int(stood.total_seconds())
    return {"kind": "clock_resumed", "payload": {"since": since.isoformat(),
                                                 "paused_working_hours": round(stood.total_seconds() / 3600, 2)}}


def _push_back(conn: Connection, items: list[ItemRecord], resumed: dict | None) -> None:
    """Work items that waited through a pause get its working time added."""
    if not resumed or not resumed["payload"]["paused_working_hours"]:
        return
    since = datetime.fromisoformat(resumed["payload"]["since"])
    for item in items:
        if item.due_at is not None and item.created_at <= since:
            try:
                item.due_at = add_working_hours(item.due_at, resumed["payload"]["paused_working_hours"])
            except CalendarDataMissing:
                item.due_at = None
            store.set_item_due(conn, item.id, item.due_at)


def sync_items(conn: Connection, case: CaseRecord, ready: dict, compiled: CompiledProcess, now: datetime,
               existing: dict[str, ItemRecord], workflow=None, completed: set[str] = frozenset(),
               resumed: dict | None = None, failed_due_dates: list | None = None) -> list[ItemRecord]:
    """One work item per READY user task: delete the gone, insert the new,
    keep the claims of those still open (and push their due times back when
    the clock restarts). A new item is due by its task's camunda:dueDate
    when it has one (engine/runtime/due_dates.py), else by its approval's
    legal limit or its block's promise; a dueDate that fails is appended to
    `failed_due_dates` as (task info, task id, event payload). The gone are
    kept in work_item_history (completed if their task id is in `completed`,
    else cancelled) for the supervisor's figures."""
    gone = [item for task_id, item in existing.items() if task_id not in ready]
    store.delete_items(conn, [item.id for item in gone])
    history.record_ended_items(conn, case, gone, completed, workflow, compiled, now)
    limits = approval_limits(compiled.metadata)
    kept = [item for task_id, item in existing.items() if task_id in ready]
    _push_back(conn, kept, resumed)
    new = []
    for task_id, task in ready.items():
        if task_id in existing:
            continue
        info = compiled.task_info(task.task_spec)
        legal = due_after(now, item_limit(limits.get(info.permit), block_promise(compiled.metadata, info.process_id)))
        due_at, failed = due_dates.task_due(task, info.due_date, now, legal)
        if failed is not None and failed_due_dates is not None:
            failed_due_dates.append((info, task_id, failed))
        new.append(ItemRecord(
            id=None, case_id=case.id, task_id=task_id, task_spec=info.bpmn_id, title_zh=info.title,
            title_en=info.title_en, department_code=info.department, form_key=info.form_key,
            permit=info.permit, claimed_by_id=None, claimed_by_name="", claimed_at=None, created_at=now,
            due_at=due_at))
    store.insert_items(conn, new)
    return kept + new


def scan(workflow) -> tuple[dict, bool]:
    """One pass over every task of the case (subprocesses included): the
    READY user tasks by id, and whether anything at all is still live. A
    plain loop over the task dicts, several times faster than SpiffWorkflow's
    tree iterator."""
    ready, live = {}, False
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.tasks.values():
            state = task.state
            if state & LIVE:
                live = True
                if state == TaskState.READY and task.task_spec.manual:
                    ready[str(task.id)] = task
    return ready, live
