"""The case as its applicant follows it: a few steps with promised dates
(received → each department's approval → delivery), the history entries an
applicant needs (not who claimed what), and the task waiting for them
online, if any (the correction supply). Read from the case row, its work
items, its events and its data; the approvals' legal limits come from the
version's metadata."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Case, CaseEvent, Department, ProcessVersion, WorkItem

from .departments import WINDOW
from .runtime.case_data import case_data
from .runtime.projections import due_after

# History an applicant reads: acceptance, their own online filing, every
# conclusion and every step of the window (notice, supply, delivery).
APPLICANT_EVENTS = ("case_started", "applied_online", "withdrawn")


@dataclass
class Step:
    key: str
    name: dict  # {"zh": ..., "en": ...}
    state: str  # done / open / waiting / correct / reject
    department: str = ""
    legal_limit_working_days: float | None = None
    due_at: datetime | None = None
    at: datetime | str | None = None
    reason: str = ""


@dataclass
class ApplicantTask:
    """A ready task the applicant may complete online."""

    item: WorkItem
    info: object  # UserTaskInfo
    form: object  # FormSchema or None
    notice: dict  # what the notice before it asked for


@dataclass
class CaseStatus:
    case: Case
    version: ProcessVersion
    steps: list[Step]
    history: list[CaseEvent]
    departments: dict[str, Department]
    task: ApplicantTask | None = None
    data: dict = field(default_factory=dict)


def _approvals_by_key(metadata: dict) -> dict[str, dict]:
    out = {}
    for meta in [*(metadata.get("blocks") or {}).values(), metadata]:
        for approval in meta.get("approvals") or []:
            if approval.get("key"):
                out.setdefault(approval["key"], approval)
    return out


def _approval_steps(case: Case, meta: dict, data: dict, items: list[WorkItem]) -> list[Step]:
    known = _approvals_by_key(meta)
    records = data.get("approvals") or {}
    # The scenario's own order; the approvals a block did (registration)
    # first, since the process runs them first.
    keys = [k for k in records if k not in (data.get("permits") or [])]
    keys += [k for k in data.get("permits") or [] if k not in keys]
    steps = []
    for key in keys:
        approval = known.get(key, {"key": key, "name": {"zh": key, "en": key}})
        limit = approval.get("legal_limit_working_days")
        record = records.get(key) or {}
        open_items = [i for i in items if i.permit == key]
        decision = record.get("decision")
        if open_items:
            state = "open"
        elif decision == "approve":
            state = "done"
        elif decision in ("correct", "reject"):
            state = decision
        else:
            state = "waiting"
        due = min((i.due_at for i in open_items if i.due_at), default=None) or due_after(case.created_at, limit)
        steps.append(Step(key, approval.get("name") or {"zh": key, "en": key}, state,
                          record.get("department") or approval.get("department", ""), limit, due,
                          record.get("at"), record.get("reason", "") if state in ("correct", "reject") else ""))
    return steps


def load(runtime, session: Session, case: Case) -> CaseStatus:
    version = session.get(ProcessVersion, case.process_version_id)
    items = list(session.scalars(select(WorkItem).where(WorkItem.case_id == case.id).order_by(WorkItem.id)))
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
    data = case_data(runtime.peek_workflow(case))
    meta = version.meta or {}
    closed = case.status != "running"
    steps = [Step("received", {"zh": "受理", "en": "Received"}, "done", WINDOW, at=case.created_at)]
    steps += _approval_steps(case, meta, data, items)
    steps.append(Step("delivery", {"zh": "办结送达", "en": "Decision and delivery"},
                      "done" if closed else "waiting", WINDOW,
                      meta.get("promised_working_days"), case.due_at, case.closed_at))
    history = sorted((e for e in events if e.kind in APPLICANT_EVENTS or (
        e.kind == "task_completed" and (e.department_code == WINDOW or "decision" in ((e.payload or {}).get("data") or {})))),
                     key=lambda e: (e.at, e.id))
    status = CaseStatus(case, version, steps, history,
                        {d.code: d for d in session.scalars(select(Department))}, data=data)
    if case.status == "running":
        status.task = applicant_task(runtime, session, case, items, data)
    return status


def applicant_task(runtime, session: Session, case: Case, items: list[WorkItem], data: dict) -> ApplicantTask | None:
    compiled = runtime.compiled_by_version(session.connection(), case.process_version_id)
    marked = {info.bpmn_id: info for info in compiled.user_tasks.values() if info.applicant}
    for item in items:
        info = marked.get(item.task_spec)
        if info is not None:
            notice_form = compiled.forms.get("correction_notice")
            fields = notice_form.fields() if notice_form is not None else []
            notice = {f["name"]: {"title": f["title"], "value": data[f["name"]], "option": _option(f, data[f["name"]])}
                      for f in fields if f["name"] in data}
            return ApplicantTask(item, info, compiled.form_for(info), notice)
    return None


def _option(field: dict, value) -> dict | None:
    """The {zh, en} title of an enum value (送达方式 sms -> 短信/平台)."""
    return next((o for o in field.get("options") or [] if o["value"] == value), None)
