"""Where cases wait longest, per process version: for each user task, the
working time from ready to completion of its work items (count, mean,
median, 90th percentile), grouped by the BPMN file that draws it (the
scenario's own diagram and each called block's). The page colours each
task by its median against the version's longest median."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import func, select

from models import ProcessVersion, WorkItemHistory

from ..library import BPMN_NS
from ..xml_safety import parse_xml
from .percentiles import percentiles

HISTORY = WorkItemHistory.__table__
LEVELS = 5  # colour steps, 1 (short) to 5 (longest)


@dataclass
class TaskWait:
    process_id: str
    task_spec: str
    title: str
    department_code: str
    permit: str
    count: int
    mean_seconds: float
    median_seconds: float
    p90_seconds: float
    level: int = 1


def waits(conn, version_id: int, lang: str = "zh") -> list[TaskWait]:
    """One row per task of the version with completed work items, longest median first."""
    where = [HISTORY.c.process_version_id == version_id, HISTORY.c.outcome == "completed"]
    keys = [HISTORY.c.process_id, HISTORY.c.task_spec]
    title = HISTORY.c.title_en if lang == "en" else HISTORY.c.title_zh
    rows = conn.execute(select(*keys, func.max(title).label("title"),
                               func.max(HISTORY.c.department_code).label("department_code"),
                               func.max(HISTORY.c.permit).label("permit"),
                               func.count(HISTORY.c.working_seconds).label("count"),
                               func.avg(HISTORY.c.working_seconds).label("mean"))
                        .where(*where, HISTORY.c.working_seconds.is_not(None)).group_by(*keys)).all()
    spread = percentiles(conn, HISTORY.c.working_seconds, keys, where)
    result = [TaskWait(r.process_id, r.task_spec, r.title or r.task_spec, r.department_code, r.permit or "", r.count,
                       float(r.mean), spread[(r.process_id, r.task_spec)][50],
                       spread[(r.process_id, r.task_spec)][90]) for r in rows]
    longest = max((w.median_seconds for w in result), default=0)
    for wait in result:
        wait.level = 1 + min(LEVELS - 1, int(LEVELS * wait.median_seconds / longest)) if longest else 1
    return sorted(result, key=lambda w: (-w.median_seconds, w.process_id, w.task_spec))


def versions_with_data(conn) -> list:
    """(version row, completed items) of every version with completed work, newest first."""
    counts = select(HISTORY.c.process_version_id, func.count().label("item_count")).where(
        HISTORY.c.outcome == "completed").group_by(HISTORY.c.process_version_id).subquery()
    return conn.execute(select(ProcessVersion.id, ProcessVersion.scenario_key, ProcessVersion.version,
                               ProcessVersion.name_zh, ProcessVersion.name_en, ProcessVersion.active,
                               counts.c.item_count)
                        .join(counts, counts.c.process_version_id == ProcessVersion.id)
                        .order_by(ProcessVersion.scenario_key, ProcessVersion.version.desc())).all()


def diagrams(version: ProcessVersion, task_waits: list[TaskWait], lang: str = "zh") -> list[dict]:
    """One diagram per process with figures (the scenario's own first, then
    each called block per call site: 现场核查 for the fire check and for the
    drainage permit are two diagrams of one file), each with the XML of the
    file that draws it and the figures of its tasks keyed by element id."""
    files = _files_by_process(version)
    by_process: dict[str, dict] = {version.process_id: {}}
    for wait in task_waits:
        by_process.setdefault(wait.process_id, {})[wait.task_spec] = asdict(wait)
    approvals = {a["key"]: a.get("name") or {} for meta in [*(version.meta.get("blocks") or {}).values(),
                                                            version.meta]
                 for a in meta.get("approvals") or [] if a.get("key")}
    result = []
    for process_id, tasks in by_process.items():
        base = process_id.split("@")[0]
        path = files.get(base)
        if path is None:
            continue
        main = base == version.process_id
        result.append({"key": process_id, "name": _name(version, process_id, tasks, approvals, lang),
                       "main": main, "xml": version.files["bpmn"][path], "tasks": tasks})
    return sorted(result, key=lambda d: (not d["main"], d["name"]))


def _files_by_process(version: ProcessVersion) -> dict[str, str]:
    """The version's BPMN file that defines each process id."""
    found = {}
    for path, text in (version.files.get("bpmn") or {}).items():
        try:
            root = parse_xml(text, path)
        except Exception:  # noqa: BLE001 - deployed files were parsed before; skip the odd one
            continue
        for process in root.iter(f"{{{BPMN_NS}}}process"):
            found.setdefault(process.get("id"), path)
    return found


def _name(version: ProcessVersion, process_id: str, tasks: dict, approvals: dict, lang: str) -> str:
    """The scenario's name, or the block's with what this call site is for
    (the permit's name, else the call activity's id)."""
    base, _, site = process_id.partition("@")
    if base == version.process_id:
        return (version.name_en if lang == "en" else version.name_zh) or base
    names = (version.meta.get("blocks") or {}).get(base, {}).get("name") or {}
    block = names.get(lang) or names.get("zh") or base
    if not site:
        return block
    permit = next((t["permit"] for t in tasks.values() if t.get("permit")), "")
    purpose = approvals.get(permit, {})
    return f"{block} · {purpose.get(lang) or purpose.get('zh') or site.rsplit('/', 1)[-1]}"
