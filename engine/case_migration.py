"""Moving running cases to a newer version of their scenario (DESIGN.md
decision 9; issue 7, item 6): an explicit, checked command.

`check_migration` says whether a case can move and why not, task by task,
without writing anything. `migrate_case` is one command like the runtime's
others (engine/runtime/service.py): one transaction that loads the case,
checks it again, moves its workflow with SpiffWorkflow's migrate_workflow
(engine/migration_plan.py), runs the engine on, writes the state, the
projections (work items, current step, timers) and a `migrated` event, and
bumps the case's row version, so a page open on the old state is stale.
`migrate_cases` does that for chosen cases, each in its own transaction."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import update
from sqlalchemy.orm import Session

from models import Case, Database, ProcessVersion

from . import state_codec, timers
from .clock import running_at
from .evaluator import make_script_engine
from .migration_plan import MigrationPlan, Reason
from .runtime import store
from .runtime.errors import CommandError, Conflict, Forbidden, NotFound
from .runtime.projections import approval_limits, block_promise, due_after, item_limit, scan
from .runtime.service import ENGINE_ERRORS, Actor, CommandResult, Runtime, _event, content_of
from .specs import SPEC_CACHE, CompiledProcess

MIGRATING_ROLES = ("designer", "admin")
MIGRATED = "migrated"  # case_events.kind


class MigrationRefused(CommandError):
    """The case cannot move to that version; `report` says why, per task.
    Nothing was written."""

    code = "migration_refused"
    http_status = 409

    def __init__(self, report: dict):
        reasons = report.get("reasons") or []
        super().__init__(f"case {report.get('reference', '')} cannot move to version {report.get('to_version')}: "
                         + "; ".join(r["message"] for r in reasons), report=report)
        self.report = report


@dataclass
class MigrationResult:
    case_id: int
    reference: str
    from_version: int
    to_version: int
    version: int  # the case's row version after the command
    status: str
    current_step: str
    work_items: list[dict]
    changes: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


# ------------------------------------------------------------------ the check

def _case_reasons(case, source, target) -> list[Reason]:
    """What refuses the move before looking at the workflow."""
    if target.scenario_key != case.scenario_key:
        return [Reason("other_scenario", f"version {target.id} belongs to {target.scenario_key!r}, "
                                         f"not to this case's scenario {case.scenario_key!r}")]
    if target.version <= source.version:
        return [Reason("not_newer", f"the case is on version {source.version}; version {target.version} "
                                    "is not newer")]
    if case.status != "running":
        return [Reason("case_finished", f"the case is {case.status}: only running cases move")]
    return []


def _report(case, source, target, reasons: list[Reason], plan: MigrationPlan | None) -> dict:
    return {
        "case_id": case.id, "reference": case.reference, "scenario": case.scenario_key,
        "case_version": case.version, "status": case.status,
        "from_version": source.version, "from_version_id": source.id,
        "to_version": target.version, "to_version_id": target.id,
        "can_migrate": not reasons,
        "reasons": [r.as_dict() for r in reasons],
        "tasks": [t.as_dict() for t in plan.tasks] if plan is not None else [],
    }


def _plan(workflow, target_compiled: CompiledProcess) -> tuple[MigrationPlan | None, list[Reason]]:
    try:
        plan = MigrationPlan(workflow, target_compiled)
    except ENGINE_ERRORS as exc:  # SpiffWorkflow's diff on a model it cannot align
        return None, [Reason("migration_failed", f"comparing the versions failed: {exc}")]
    return plan, list(plan.reasons)


def _dry_run(plan: MigrationPlan) -> list[Reason]:
    """Apply the plan (to a private copy of the workflow): whatever the
    checks missed shows up here rather than in a saved case."""
    try:
        plan.apply()
    except ENGINE_ERRORS as exc:
        return [Reason("migration_failed", f"moving the workflow failed: {exc}")]
    return []


_SCRIPT_ENGINE = None


def _script_engine():
    global _SCRIPT_ENGINE
    if _SCRIPT_ENGINE is None:
        _SCRIPT_ENGINE = make_script_engine(timers.WORKING_TIME_HELPERS)
    return _SCRIPT_ENGINE


def _compiled(version: ProcessVersion) -> CompiledProcess:
    return SPEC_CACHE.get_by_hash(version.content_hash, lambda: content_of(version))


def check_migration(session: Session, case_id: int, target_version_id: int) -> dict:
    """Whether the case can move to the version, read-only. Returns
    {case_id, reference, scenario, case_version, status, from_version,
    from_version_id, to_version, to_version_id, can_migrate,
    reasons: [{code, message, element, name, process_id, task_id}],
    tasks: [{task_id, element, process_id, state, name, new_name, changes,
    reasons, status: unchanged|changed|blocked}]} (tasks: the live ones)."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    target = session.get(ProcessVersion, target_version_id)
    if target is None:
        raise NotFound(f"no process version {target_version_id}")
    source = session.get(ProcessVersion, case.process_version_id)
    reasons = _case_reasons(case, source, target)
    if reasons:
        return _report(case, source, target, reasons, None)
    old = _compiled(source)
    workflow = state_codec.load(case.state, old.spec, old.subprocess_specs, _script_engine())
    plan, reasons = _plan(workflow, _compiled(target))
    if not reasons:
        reasons = _dry_run(plan)
    return _report(case, source, target, reasons, plan)


# ------------------------------------------------------------------ the command

def _runtime(session_or_runtime) -> Runtime:
    if isinstance(session_or_runtime, Runtime):
        return session_or_runtime
    if isinstance(session_or_runtime, Database):
        return Runtime(session_or_runtime)
    raise TypeError("migrate_case needs the Runtime (or the Database) to run a command on")


def _refresh_items(conn, case, ready: dict, compiled: CompiledProcess, existing: dict) -> None:
    """Open work items of tasks still ready take their task's new title,
    department, form and due time; a claim stays only in the same department."""
    limits = approval_limits(compiled.metadata)
    for task_id, item in existing.items():
        task = ready.get(task_id)
        if task is None:
            continue  # gone: sync_items deletes it and keeps it in the history
        info = compiled.task_info(task.task_spec)
        values = {"task_spec": info.bpmn_id, "title_zh": info.title, "title_en": info.title_en,
                  "department_code": info.department, "form_key": info.form_key, "permit": info.permit}
        if info.permit != item.permit:
            values["due_at"] = due_after(item.created_at, item_limit(limits.get(info.permit), block_promise(
                compiled.metadata, info.process_id)))
        if info.department != item.department_code:
            values.update(claimed_by_id=None, claimed_by_name="", claimed_at=None)
        values = {k: v for k, v in values.items() if getattr(item, k) != v}
        if values:
            conn.execute(update(store.ITEMS).where(store.ITEMS.c.id == item.id).values(**values))
            for key, value in values.items():
                setattr(item, key, value)


def migrate_case(session_or_runtime, case_id: int, target_version_id: int, actor: Actor,
                 expected_version: int | None = None) -> MigrationResult:
    """Move a running case to a newer version of its scenario, as one
    command. `expected_version`: the case's row version the designer saw
    when checking; another write since then is a Conflict. Raises
    MigrationRefused (with the check's report), Forbidden, NotFound,
    Conflict or ProcessFailure; nothing is written then."""
    runtime = _runtime(session_or_runtime)

    def run(conn, _attempt: int, after_commit: list) -> MigrationResult:
        case = runtime._load_case(conn, case_id)
        user = runtime._user(conn, actor)
        if user.role not in MIGRATING_ROLES:
            raise Forbidden(f"moving cases to another version needs the designer role; {user.username} "
                            "does not have it")
        if expected_version is not None and case.version != expected_version:
            raise Conflict(f"case {case.reference} changed since it was checked (row version {case.version}, "
                           f"checked at {expected_version}); check it again")
        source = store.version_with_files(conn, case.process_version_id)
        target = store.version_with_files(conn, target_version_id)
        if target is None:
            raise NotFound(f"no process version {target_version_id}")
        reasons = _case_reasons(case, source, target)
        old = runtime.compiled_by_version(conn, source.id)
        new = runtime.compiled_by_version(conn, target.id)
        plan = None
        if not reasons:
            workflow = runtime.load_workflow(conn, case, old)
            plan, reasons = _plan(workflow, new)
        if reasons:
            raise MigrationRefused(_report(case, source, target, reasons, plan))
        now = runtime.clock()
        try:
            with running_at(now):  # a reset timer starts from the command's moment, on the engine's clock
                dropped = plan.apply()
        except ENGINE_ERRORS as exc:
            raise MigrationRefused(_report(case, source, target,
                                           [Reason("migration_failed", f"moving the workflow failed: {exc}")],
                                           plan)) from exc
        runtime._advance(workflow, now)
        existing = store.open_items(conn, case.id)
        _refresh_items(conn, case, scan(workflow)[0], new, existing)
        changes = {**plan.changes(), "predicted_tasks_dropped": dropped}
        event = _event(now, user, MIGRATED, payload={
            "from_version": source.version, "to_version": target.version,
            "from_version_id": source.id, "to_version_id": target.id, **changes})
        items = runtime._persist(conn, case, workflow, new, now, [event], existing)
        conn.execute(update(store.CASES).where(store.CASES.c.id == case.id)
                     .values(process_version_id=target.id))
        case.process_version_id = target.id
        after_commit.append(lambda: runtime.workflows.put(case.id, case.version, workflow))
        result: CommandResult = runtime._result(case, items)
        return MigrationResult(case.id, case.reference, source.version, target.version, case.version,
                               case.status, case.current_step, result.work_items, changes)

    return runtime._command(run)


def migrate_cases(session_or_runtime, case_ids: list[int], target_version_id: int, actor: Actor,
                  expected_versions: dict[int, int] | None = None) -> list[dict]:
    """Migrate each chosen case in its own transaction: one refused case
    does not hold the others back. Per case, in the order given:
    {case_id, ok: True, result: MigrationResult.as_dict()} or
    {case_id, ok: False, error: {code, message, ...}} (a refusal's error
    carries the check's `report`)."""
    runtime = _runtime(session_or_runtime)
    results = []
    for case_id in case_ids:
        expected = (expected_versions or {}).get(case_id)
        try:
            done = migrate_case(runtime, case_id, target_version_id, actor, expected)
        except CommandError as exc:
            results.append({"case_id": case_id, "ok": False, "error": exc.as_dict()})
        else:
            results.append({"case_id": case_id, "ok": True, "result": done.as_dict()})
    return results
