"""Simulating a draft before it is deployed (issue 7, item 7).

The draft is checked exactly as a deployment would check it (the called
blocks resolved against the real database's active versions), then stored
as the only version of a throwaway SQLite database (engine/simulation/
scratch_database.py) and run there by the ordinary simulator on simulated
working time. The real database is only read. The report says which
sequence flows the generated cases took, per BPMN file (flow ids are unique
only within a file), and per user task how often it was reached and how long
it waited in working hours, from the throwaway database's work item
history, as the dashboard's heat map computes it."""
from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import func, select

from models import Database, WorkItemHistory

from ..dashboard.heatmap import waits
from ..deployment import deployed_index, store_version
from ..library import Bundle
from ..problems import ProcessFileError
from ..runtime import store
from ..runtime.service import Runtime
from ..runtime.workflow_cache import WorkflowCache
from ..simulation import coverage
from ..simulation.runner import simulate
from ..simulation.scratch_database import scratch_database
from ..simulation.timeline import Timeline
from ..specs import SpecCache
from ..validation import check_bundle, index_of
from ..workcalendar import BEIJING

MAX_RUNS = 500
TIME_LIMIT_SECONDS = 120.0
# 2026 is the last year with statutory calendar data; starting early in it
# leaves room for the longest legal limits (a task may take twice its own).
DEFAULT_START = datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING)
SPREAD_WORKING_DAYS = 20  # the cases' starts are spread over this many working days
HOUR = 3600.0


class RunsOutOfRange(ValueError):
    pass


def simulate_draft(real_db: Database, bundle: Bundle, runs: int, seed: int = 0,
                   start: datetime = DEFAULT_START, time_limit: float = TIME_LIMIT_SECONDS) -> dict:
    """A JSON-able report of `runs` generated cases on the draft `bundle`.
    Raises ProcessFileError (every problem) for a draft that would not
    deploy, RunsOutOfRange for `runs` outside 1..MAX_RUNS."""
    if not 1 <= runs <= MAX_RUNS:
        raise RunsOutOfRange(f"runs must be between 1 and {MAX_RUNS}")
    with real_db.read() as session:
        index = index_of([bundle], deployed_index(session))
    compiled, content, problems = check_bundle(bundle, index)
    if problems:
        raise ProcessFileError(problems)
    with scratch_database() as db:
        with db.write() as session:
            store_version(session, content, None)
        # A spec cache of its own: drafts never enter the process-wide one.
        specs = SpecCache()
        specs.put(compiled)
        runtime = Runtime(db, spec_cache=specs, workflow_cache=WorkflowCache())
        timeline = Timeline(start, SPREAD_WORKING_DAYS * 8 / runs, random.Random(seed))
        report = simulate(runtime, bundle.key, runs, seed, timeline=timeline, time_limit=time_limit)
        with db.read() as session:
            conn = session.connection()
            version = store.active_version(conn, bundle.key)
            tasks = _tasks(conn, version.id)
    files = content.bpmn
    where = coverage.spec_files(files)
    flow_keys = {(spec, flow) for (spec, _, _), ids in coverage.flows_by_endpoints(files).items() for flow in ids}
    return {
        "scenario": bundle.key, "requested": runs, "runs": report.runs, "seed": seed,
        "start": start.isoformat(), "cut_short": report.cut_short, "seconds": round(report.seconds, 3),
        "statuses": dict(report.statuses),
        "flows_total": len(flow_keys), "flows_taken": sum(1 for key in flow_keys if report.spec_flow_counts[key]),
        "files": _coverage_by_file(report.spec_flow_counts, flow_keys, where, files, set(bundle.bpmn)),
        # A called block's tasks are recorded per call site ("block@caller/call").
        "tasks": [{**task, "file": where.get(task["process_id"].split("@", 1)[0], "")} for task in tasks],
        "stranded": report.stranded, "errors": report.errors,
    }


def _coverage_by_file(counts, flow_keys, where: dict[str, str], files: dict[str, str], own: set[str]) -> dict:
    """{file: {"own": the draft's own file (not a called block's),
    "flows": {flow id: cases that took it}, "untaken": [flow ids], "xml": its text (to draw it)}}."""
    result = {name: {"own": name in own, "flows": {}, "untaken": [], "xml": files[name]} for name in files}
    for spec, flow in sorted(flow_keys):
        entry = result[where[spec]]
        entry["flows"][flow] = entry["flows"].get(flow, 0) + counts[(spec, flow)]
    for entry in result.values():
        entry["untaken"] = sorted(f for f, count in entry["flows"].items() if not count)
    return result


def _tasks(conn, version_id: int) -> list[dict]:
    """Per user task reached: visits (work items ended, whatever the
    outcome) and the completed ones' waiting time in working hours."""
    history = WorkItemHistory.__table__
    keys = [history.c.process_id, history.c.task_spec]
    visits = conn.execute(select(*keys, func.max(history.c.title_zh), func.max(history.c.title_en),
                                 func.max(history.c.department_code), func.count())
                          .where(history.c.process_version_id == version_id).group_by(*keys)).all()
    figures = {(w.process_id, w.task_spec): w for w in waits(conn, version_id)}
    rows = []
    for process_id, task_spec, title_zh, title_en, department, count in visits:
        wait = figures.get((process_id, task_spec))
        rows.append({
            "process_id": process_id, "task": task_spec, "title_zh": title_zh, "title_en": title_en or title_zh,
            "department": department, "visits": count, "completed": wait.count if wait else 0,
            "median_hours": round(wait.median_seconds / HOUR, 2) if wait else None,
            "p90_hours": round(wait.p90_seconds / HOUR, 2) if wait else None,
            "mean_hours": round(wait.mean_seconds / HOUR, 2) if wait else None,
            "level": wait.level if wait else 0,
        })
    return sorted(rows, key=lambda r: (-(r["median_hours"] or 0), r["process_id"], r["task"]))
