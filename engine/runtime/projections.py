"""Keep the tables that pages read in step with the workflow, in the same
transaction as the state (DESIGN.md decision 4): one work item per READY
user task, and the case's status, current step and due time."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Connection
from SpiffWorkflow.util.task import TaskState

from ..gateways import LIVE
from ..specs import CompiledProcess
from ..workcalendar import CalendarDataMissing, add_working_days
from . import history, store
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


def sync_items(conn: Connection, case: CaseRecord, ready: dict, compiled: CompiledProcess, now: datetime,
               existing: dict[str, ItemRecord], workflow=None, completed: set[str] = frozenset()) -> list[ItemRecord]:
    """One work item per READY user task: delete the gone, insert the new,
    keep the claims of those still open. The gone are kept in
    work_item_history (completed if their task id is in `completed`, else
    cancelled) for the supervisor's figures."""
    gone = [item for task_id, item in existing.items() if task_id not in ready]
    store.delete_items(conn, [item.id for item in gone])
    history.record_ended_items(conn, case, gone, completed, workflow, compiled, now)
    limits = approval_limits(compiled.metadata)
    kept = [item for task_id, item in existing.items() if task_id in ready]
    new = []
    for task_id, task in ready.items():
        if task_id in existing:
            continue
        info = compiled.task_info(task.task_spec)
        new.append(ItemRecord(
            id=None, case_id=case.id, task_id=task_id, task_spec=info.bpmn_id, title_zh=info.title,
            title_en=info.title_en, department_code=info.department, form_key=info.form_key,
            permit=info.permit, claimed_by_id=None, claimed_by_name="", claimed_at=None, created_at=now,
            due_at=due_after(now, limits.get(info.permit))))
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
