"""The case map (/cases/<id>/map.json): the BPMN diagrams a case has run
through and where it stands on each, for bpmn-js on the case and task pages.

One diagram for the top-level process and one per instance of a called
block (a call activity that has started: 现场核查 for the fire check, the
company set-up, a correction round, ...). For each, the element ids that
are `completed`, `active` (READY, WAITING or STARTED) and `overdue` (active
user tasks whose work item is past its due time). An element may be in
several lists when a loop ran it before (a correction round): the page
shows the strongest, overdue over active over completed.

Task states come from the deserialized workflow: fine for one case page,
never for lists (those read the work_items projection)."""
from __future__ import annotations

import threading
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from SpiffWorkflow.bpmn.specs.defaults import CallActivity
from SpiffWorkflow.util.task import TaskState

from engine.library import BPMN_NS
from engine.xml_safety import parse_xml
from models import Case, ProcessVersion, WorkItem

MAIN = "main"
ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED

_files_lock = threading.Lock()
_file_of: dict[tuple[str, str], str | None] = {}  # (content hash, process id) -> display path


def bpmn_file(version: ProcessVersion, process_id: str) -> str | None:
    """The display path of the version's BPMN file that defines `process_id`
    (versions never change: found once per content hash)."""
    key = (version.content_hash, process_id)
    with _files_lock:
        if key in _file_of:
            return _file_of[key]
    found = None
    for display, text in (version.files.get("bpmn") or {}).items():
        try:
            root = parse_xml(text, display)
        except Exception:  # noqa: BLE001 - deployed files parsed before; skip the odd one
            continue
        if any(p.get("id") == process_id for p in root.iter(f"{{{BPMN_NS}}}process")):
            found = display
            break
    with _files_lock:
        _file_of[key] = found
    return found


def _lang() -> str:
    return "en" if str(get_locale()) == "en" else "zh"


def _name(names: dict | None, fallback: str, lang: str) -> str:
    if not names:
        return fallback
    return names.get(lang) or names.get("zh") or fallback


def _key_of(workflow, top) -> str:
    """The diagram a workflow's tasks are drawn on: a called block instance
    is keyed by its call activity task's id; an embedded subprocess is drawn
    on its parent's diagram."""
    while workflow is not top:
        parent = top.get_task_from_id(workflow.parent_task_id)
        if isinstance(parent.task_spec, CallActivity):
            return str(parent.id)
        workflow = parent.workflow
    return MAIN


def build(runtime, session, case: Case, now: datetime | None = None) -> dict:
    version = session.get(ProcessVersion, case.process_version_id)
    workflow = runtime.peek_workflow(case)
    now = now or runtime.clock()
    lang = _lang()
    work = {item.task_id: item for item in session.scalars(select(WorkItem).where(WorkItem.case_id == case.id))}
    blocks = version.meta.get("blocks") or {}
    approvals = {a["key"]: a.get("name") for meta in [*blocks.values(), version.meta]
                 for a in meta.get("approvals") or [] if a.get("key")}

    diagrams: dict[str, dict] = {MAIN: _diagram(MAIN, version.process_id,
                                                _name({"zh": version.name_zh, "en": version.name_en},
                                                      version.process_id, lang))}
    diagrams[MAIN]["state"] = "completed" if case.status != "running" else "active"
    # Block instances in the order their call activities appear in the task tree.
    for task in workflow.get_tasks():
        if not isinstance(task.task_spec, CallActivity) or task.id not in workflow.subprocesses:
            continue
        sub = workflow.subprocesses[task.id]
        process_id = sub.spec.name.split("@")[0]
        block = _name((blocks.get(process_id) or {}).get("name"), sub.spec.description or process_id, lang)
        permit = (task.task_spec.extensions or {}).get("permit", "")
        purpose = _name(approvals.get(permit), task.task_spec.bpmn_name or task.task_spec.bpmn_id, lang) \
            if permit else ""
        entry = _diagram(str(task.id), process_id, f"{block} · {purpose}" if purpose else block)
        entry.update(parent=_key_of(task.workflow, workflow), call_activity=task.task_spec.bpmn_id,
                     state="completed" if task.state == TaskState.COMPLETED else
                     "active" if task.state & ACTIVE else "other")
        diagrams[entry["key"]] = entry
    # The same call activity run more than once (a loop): number the runs.
    runs: dict[tuple, list[dict]] = {}
    for entry in diagrams.values():
        if entry["parent"] is not None:
            runs.setdefault((entry["parent"], entry["call_activity"]), []).append(entry)
    for (parent, call), entries in runs.items():
        diagrams[parent]["calls"][call] = [e["key"] for e in entries]
        if len(entries) > 1:
            for n, entry in enumerate(entries, 1):
                entry["name"] += " " + _("（第 %(n)s 次）", n=n)

    for task in workflow.get_tasks():
        element = task.task_spec.bpmn_id
        if element is None:  # SpiffWorkflow's own Start/End/EndJoin tasks
            continue
        entry = diagrams.get(_key_of(task.workflow, workflow))
        if entry is None:
            continue
        if task.state == TaskState.COMPLETED:
            _add(entry["completed"], element)
        elif task.state & ACTIVE:
            _add(entry["active"], element)
            item = work.get(str(task.id))
            if item is not None:
                entry["tasks"][str(task.id)] = element
                if item.due_at is not None and item.due_at < now:
                    _add(entry["overdue"], element)

    processes = {}
    for entry in diagrams.values():
        process_id = entry["process"]
        if process_id not in processes:
            display = bpmn_file(version, process_id)
            processes[process_id] = {"file": display,
                                     "xml": (version.files.get("bpmn") or {}).get(display) if display else None}
    return {"case": {"id": case.id, "reference": case.reference, "status": case.status},
            "at": now.isoformat(), "processes": processes, "diagrams": list(diagrams.values())}


def _diagram(key: str, process_id: str, name: str) -> dict:
    return {"key": key, "process": process_id, "name": name, "parent": None, "call_activity": None,
            "state": "", "completed": [], "active": [], "overdue": [], "calls": {}, "tasks": {}}


def _add(ids: list, element: str) -> None:
    if element not in ids:
        ids.append(element)
