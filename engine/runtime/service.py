"""The command path: load case -> check -> run -> persist, one transaction
per command (DESIGN.md decisions 4 and 5).

Every write goes through `_command`, which retries on the fresh state when
another command committed first (the optimistic version check failed): the
command's own checks run again, so it either succeeds on the new state or
ends in a Conflict that says what happened. Never a lost update."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Callable
from uuid import UUID

from sqlalchemy.exc import OperationalError
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.util.task import TaskState

from models import Case, Database, ProcessVersion, User, utcnow

from .. import state_codec, task_checks, timers
from ..clock import running_at
from ..departments import WINDOW
from ..evaluator import ExpressionError, make_script_engine
from ..green_channel import matching as green_channel
from ..library import VersionContent
from ..specs import SPEC_CACHE, CompiledProcess, SpecCache
from . import applicant_tasks, history, projections, store, task_data
from .due_dates import DUE_DATE_FAILED
from .access import may_complete, may_start_cases, may_withdraw, may_work_in
from .errors import Conflict, Forbidden, InvalidData, NotFound, NotStartable, ProcessFailure
from .origins import CaseOrigin
from .references import next_reference
from .store import CaseRecord, ItemRecord, StaleCase, UserRecord
from .workflow_cache import WorkflowCache

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# What running a process may raise: SpiffWorkflow's own errors, the restricted
# evaluator's (some SpiffWorkflow paths call it without wrapping), and the
# plain errors its parser-built specs raise on odd models. All become a
# ProcessFailure; the transaction rolls back and the case stays as it was.
ENGINE_ERRORS = (SpiffWorkflowException, ExpressionError, KeyError, TypeError, ValueError, AttributeError,
                 IndexError, RecursionError)
Actor = User | int | str
SYSTEM_ACTOR = "system"  # case_events.actor_name of what the sweep did


@dataclass
class CommandResult:
    case_id: int
    reference: str
    status: str
    version: int
    current_step: str
    work_items: list[dict]
    reran_on_fresh_state: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def content_of(version: ProcessVersion) -> VersionContent:
    files = version.files
    return VersionContent(version.scenario_key, version.process_id, version.meta,
                          files.get("bpmn", {}), files.get("dmn", {}), files.get("forms", {}))


def _item_dict(item: ItemRecord) -> dict:
    return {"task_id": item.task_id, "task": item.task_spec, "title": item.title_zh,
            "department": item.department_code, "form_key": item.form_key,
            "claimed_by": item.claimed_by_name or None,
            "due_at": item.due_at.isoformat() if item.due_at else None}


class Runtime:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow,
                 spec_cache: SpecCache = SPEC_CACHE, workflow_cache: WorkflowCache | None = None):
        self.db = db
        self.clock = clock
        self.specs = spec_cache
        self.workflows = workflow_cache or WorkflowCache()
        self.script_engine = make_script_engine(timers.WORKING_TIME_HELPERS)
        self._hash_by_version: dict[int, str] = {}

    # ------------------------------------------------------------ loading

    def compiled(self, version: ProcessVersion) -> CompiledProcess:
        self._hash_by_version[version.id] = version.content_hash
        return self.specs.get_by_hash(version.content_hash, lambda: content_of(version))

    def compiled_by_version(self, conn, version_id: int) -> CompiledProcess:
        """Versions never change once deployed, so the id -> content hash map
        is kept for the process's lifetime; the version row (with all its
        files) is read only when the spec cache misses."""
        content_hash = self._hash_by_version.get(version_id)
        if content_hash is None:
            return self.compiled(store.version_with_files(conn, version_id))
        return self.specs.get_by_hash(content_hash, lambda: content_of(store.version_with_files(conn, version_id)))

    def active_version(self, conn, scenario_key: str):
        version = store.active_version(conn, scenario_key)
        if version is None:
            raise NotFound(f"no deployed scenario {scenario_key!r}")
        return version

    def load_workflow(self, conn, case: CaseRecord, compiled: CompiledProcess) -> BpmnWorkflow:
        workflow = self.workflows.take(case.id, case.version)
        if workflow is None:
            text = case.state if case.state is not None else store.load_state(conn, case)
            workflow = state_codec.load(text, compiled.spec, compiled.subprocess_specs, self.script_engine)
        return workflow

    def peek_workflow(self, case: Case) -> BpmnWorkflow:
        """A private copy for reading (the case page): never the cached object."""
        with self.db.read() as session:
            compiled = self.compiled_by_version(session.connection(), case.process_version_id)
        return state_codec.load(case.state, compiled.spec, compiled.subprocess_specs, self.script_engine)

    def intake_form(self, conn, scenario_key: str):
        """(version row, FormSchema or None) of the scenario's window intake:
        the form of the first user task a new case waits on at the window."""
        version = self.active_version(conn, scenario_key)
        compiled = self.compiled_by_version(conn, version.id)
        if compiled.intake_form_key is None:
            workflow = BpmnWorkflow(compiled.spec, compiled.subprocess_specs, script_engine=self.script_engine)
            self._advance(workflow)
            first = next((compiled.task_info(t.task_spec) for t in projections.scan(workflow)[0].values()
                          if compiled.task_info(t.task_spec).department == WINDOW), None)
            compiled.intake_form_key = (first.form_key or "#" + first.bpmn_id) if first else ""
        return version, compiled.forms.get(compiled.intake_form_key)

    def peek_case(self, case_id: int) -> BpmnWorkflow:
        with self.db.read() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise NotFound(f"no case {case_id}")
            compiled = self.compiled_by_version(session.connection(), case.process_version_id)
            return state_codec.load(case.state, compiled.spec, compiled.subprocess_specs, self.script_engine)

    @staticmethod
    def _user(conn, actor: Actor) -> UserRecord:
        if isinstance(actor, User):
            actor = actor.id
        user = store.load_user(conn, actor)
        if user is None or not user.active:
            raise Forbidden(f"unknown or inactive user {actor!r}")
        return user

    # ------------------------------------------------------------ engine steps

    def _advance(self, workflow: BpmnWorkflow, now: datetime | None = None) -> None:
        """Run the engine until it waits for a person or a timer; timers
        and expressions see `now` (the command's moment) as the time."""
        budget = StepBudget()
        try:
            with running_at(now or self.clock()):
                workflow.refresh_timers()
                workflow.do_engine_steps(will_complete_task=budget.tick)
        except ProcessFailure:
            raise
        except ENGINE_ERRORS as exc:
            raise ProcessFailure(_engine_message(exc)) from exc

    def _complete(self, workflow, compiled: CompiledProcess, task, data: dict | None,
                  user: UserRecord, now: datetime) -> dict:
        info = compiled.task_info(task.task_spec)
        form = compiled.form_for(info)
        clean: dict = {}
        if form is not None:
            clean, errors = form.validate(data or {})
            if errors:
                raise InvalidData(f"the form of {info.title!r} has {len(errors)} error(s)", errors)
        task_data.place(task.data, clean, department=info.department or WINDOW,
                        permit_key=info.permit or info.bpmn_id, actor=user.username, at=now)
        try:
            with running_at(now):
                task.run()
        except ENGINE_ERRORS as exc:
            raise ProcessFailure(_engine_message(exc)) from exc
        self._advance(workflow, now)
        return clean

    # ------------------------------------------------------------ persistence

    def _persist(self, conn, case: CaseRecord, workflow, compiled: CompiledProcess, now: datetime,
                 events: list[dict], existing: dict[str, ItemRecord]) -> list[ItemRecord]:
        """The state, the case's columns, its work items and events: one row
        write of the case (so its version counts commands)."""
        ready, live = projections.scan(workflow)
        if not live and not workflow.is_completed() and case.status == "running":
            # SpiffWorkflow stops silently when a loop grows the task tree past
            # its iterator's depth limit; never save a case that can't go on.
            raise ProcessFailure("the process stopped without finishing and with nothing left to do; "
                                 "nothing was saved")
        case.state = state_codec.dump(workflow)
        projections.update_case(case, ready, compiled, workflow, now)
        stopped = projections.run_clock(case, ready, compiled, now)
        if case.id is None:
            store.insert_case(conn, case)
        else:
            store.update_case(conn, case)  # UPDATE ... WHERE version = :seen
        completed = {e["payload"]["task_id"] for e in events if e["kind"] == "task_completed"}
        failed_due_dates: list = []
        items = projections.sync_items(conn, case, ready, compiled, now, existing, workflow, completed,
                                       resumed=stopped if stopped and stopped["kind"] == "clock_resumed" else None,
                                       failed_due_dates=failed_due_dates)
        if stopped is not None:
            events = [*events, _event(now, None, stopped["kind"], payload=stopped["payload"])]
        events = [*events, *(_system_event(now, DUE_DATE_FAILED, {"task_id": task_id, **payload}, info)
                             for info, task_id, payload in failed_due_dates)]
        if case.status != "running" and case.closed_at == now:
            history.record_closed_case(conn, case, now)  # closed by this command
        store.insert_events(conn, case.id, events)
        applicant_tasks.announce_new(conn, case, ready, compiled, existing, now)
        return items

    def _result(self, case: CaseRecord, items: list[ItemRecord], reran: bool = False) -> CommandResult:
        return CommandResult(case.id, case.reference, case.status, case.version, case.current_step,
                             [_item_dict(i) for i in items], reran)

    def _command(self, fn: Callable[[object, int, list], CommandResult]) -> CommandResult:
        """Run fn(connection, attempt, after_commit) in one write transaction;
        re-run it on the fresh state when another command won the race, or
        when the database was busy. after_commit collects what may happen
        only once the transaction is durable (keeping the workflow cached)."""
        for attempt in range(MAX_ATTEMPTS):
            after_commit: list[Callable[[], None]] = []
            try:
                with self.db.transaction() as conn:
                    result = fn(conn, attempt, after_commit)
            except StaleCase:
                log.info("case changed under a command; re-running on the fresh state")
                continue
            except OperationalError as exc:
                if not _is_busy(exc) or attempt == MAX_ATTEMPTS - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
                continue
            for action in after_commit:
                action()
            return result
        raise Conflict("the case kept changing while this command ran; please reload and try again")

    def _load_case(self, conn, case_id: int) -> CaseRecord:
        # PostgreSQL: lock the row so commands on one case queue instead of
        # racing. SQLite: BEGIN IMMEDIATE already serializes writers.
        case = store.load_case(conn, case_id, lock=not self.db.is_sqlite)
        if case is None:
            raise NotFound(f"no case {case_id}")
        return case

    # ------------------------------------------------------------ commands

    def start_case(self, scenario_key: str, data: dict | None, actor: Actor,
                   applicant_name: str = "", applicant_id: int | None = None,
                   materials: dict[str, str] | None = None, origin: CaseOrigin | None = None,
                   also: Callable[[object, CommandResult], None] | None = None) -> CommandResult:
        """`materials`: the window's check of the materials list (key ->
        received / deferred / not_applicable), kept in the case's first
        event. `origin`: where the case comes from (engine/runtime/origins.py);
        it decides who may start it and whose case it is. `also(connection,
        result)` runs inside the same transaction once the case is written
        (accepting an online application links it there): if it raises, the
        case is not started either."""
        def run(conn, _attempt: int, after_commit: list) -> CommandResult:
            user = self._user(conn, actor)
            origin_applicant = origin.check(conn, user) if origin is not None else None
            if origin is None and not may_start_cases(user):
                raise Forbidden(f"{user.username} may not start cases")
            version = self.active_version(conn, scenario_key)
            compiled = self.compiled_by_version(conn, version.id)
            if compiled.metadata.get("standalone") is False or any(
                    info.department is None for info in compiled.user_tasks.values()):
                raise NotStartable(f"{scenario_key!r} is a shared block that works for the scenario calling "
                                   "it; it runs inside a scenario, not on its own")
            now = self.clock()
            workflow = BpmnWorkflow(compiled.spec, compiled.subprocess_specs, script_engine=self.script_engine)
            self._advance(workflow, now)
            events = [_event(now, user, "case_started",
                             payload={"scenario": scenario_key, "process_version": version.version,
                                      **({"materials": materials} if materials else {})})]
            if data is not None:
                intake = next((t for t in projections.scan(workflow)[0].values()
                               if compiled.task_info(t.task_spec).department == WINDOW), None)
                if intake is None:
                    raise InvalidData("this process has no intake task at the window to take the form", {})
                if user.role == "applicant":
                    raise Forbidden("applicants file through the online application, not the window intake")
                info = compiled.task_info(intake.task_spec)
                clean = self._complete(workflow, compiled, intake, data, user, now)
                events.append(_task_event(now, user, info, str(intake.id), clean))
            account = origin_applicant if origin is not None else (
                applicant_id if applicant_id is not None else user.id if user.role == "applicant" else None)
            # The applicant account's number, checked at registration, names the
            # case it files (the form may give only the legal representative's ID);
            # a walk-in case is named by its form. The green channel matches on it.
            applicant_key = store.account_key(conn, account) or _applicant_key(data)
            project = green_channel.project_for(conn, applicant_key)  # 绿色通道: on the key-project list?
            key_project = project is not None or bool((data or {}).get("key_project"))
            case = CaseRecord(
                reference=next_reference(conn, now), scenario_key=scenario_key, process_version_id=version.id,
                applicant_id=account,
                applicant_name=applicant_name or _applicant_name(data) or "",
                applicant_key=applicant_key, key_project=key_project,
                created_by_id=user.id,
                created_at=now, updated_at=now,
                due_at=projections.due_after(now, green_channel.promised_working_days(compiled.metadata,
                                                                                      key_project)))
            items = self._persist(conn, case, workflow, compiled, now, events, {})
            if origin is not None:
                kind, payload = origin.link(conn, case.id, user, now)
                store.insert_events(conn, case.id, [_event(now, user, kind, payload=payload)])
            if project is not None:
                green_channel.attach(conn, project, case.id, case.reference, user, now)
            result = self._result(case, items)
            if also is not None:
                also(conn, result)
            after_commit.append(lambda: self.workflows.put(case.id, case.version, workflow))
            return result

        return self._command(run)

    def complete_task(self, case_id: int, task_id: str, data: dict | None, actor: Actor,
                      seen_version: int | None = None) -> CommandResult:
        def run(conn, attempt: int, after_commit: list) -> CommandResult:
            case = self._load_case(conn, case_id)
            user = self._user(conn, actor)
            compiled = self.compiled_by_version(conn, case.process_version_id)
            workflow = self.load_workflow(conn, case, compiled)
            task = _find_task(workflow, task_id)
            info = compiled.task_info(task.task_spec) if _is_user_task(compiled, task) else None
            if info is None:
                raise NotFound(f"task {task_id} is not a user task of case {case.reference}")
            if not may_complete(user, info, case):
                raise Forbidden(f"{user.username} may not act on {info.title!r}: it belongs to department {info.department}")
            if case.status != "running" or task.state != TaskState.READY:
                raise Conflict(_gone_message(conn, case, task, info))
            existing = store.open_items(conn, case.id)
            item = existing.get(task_id)
            if item is not None and item.claimed_by_id not in (None, user.id):
                raise Conflict(f"{info.title!r} is claimed by {item.claimed_by_name}")
            now = self.clock()
            form = compiled.form_for(info)
            checked = data if form is None else task_checks.prepare(
                conn, form.schema, data or {}, department=info.department, case_id=case.id, now=now)
            clean = self._complete(workflow, compiled, task, checked, user, now)
            reran = attempt > 0 or (seen_version is not None and seen_version != case.version)
            event_row = _task_event(now, user, info, task_id, clean)
            if reran:
                event_row["payload"]["reran_on_fresh_state"] = True
            items = self._persist(conn, case, workflow, compiled, now, [event_row], existing)
            after_commit.append(lambda: self.workflows.put(case.id, case.version, workflow))
            return self._result(case, items, reran)

        return self._command(run)

    def claim(self, case_id: int, task_id: str, actor: Actor) -> CommandResult:
        return self._set_claim(case_id, task_id, actor, claim=True)

    def release(self, case_id: int, task_id: str, actor: Actor) -> CommandResult:
        return self._set_claim(case_id, task_id, actor, claim=False)

    def _set_claim(self, case_id: int, task_id: str, actor: Actor, claim: bool) -> CommandResult:
        """Claims change only the work item, not the workflow: the case's
        version stays, so a reviewer's open page is not made stale."""
        def run(conn, _attempt: int, after_commit: list) -> CommandResult:
            case = store.load_case(conn, case_id)
            if case is None:
                raise NotFound(f"no case {case_id}")
            user = self._user(conn, actor)
            items = store.open_items(conn, case_id)
            item = items.get(task_id)
            if item is None:
                raise Conflict(f"task {task_id} of case {case.reference} is no longer open")
            if not may_work_in(user, item.department_code):
                raise Forbidden(f"{user.username} may not act on {item.title_zh!r}")
            now = self.clock()
            if claim:
                if not store.claim_item(conn, item.id, user, now):
                    holder = store.open_items(conn, case_id).get(task_id)
                    if holder is None or holder.claimed_by_id != user.id:
                        raise Conflict(f"{item.title_zh!r} is already claimed by "
                                       f"{holder.claimed_by_name if holder else 'someone else'}")
            else:
                if item.claimed_by_id not in (None, user.id):
                    raise Conflict(f"{item.title_zh!r} is claimed by {item.claimed_by_name}, not by you")
                store.release_item(conn, item.id)
            store.insert_events(conn, case.id, [_event(
                now, user, "claimed" if claim else "released", task_spec=item.task_spec,
                task_title=item.title_zh, department_code=item.department_code, payload={"task_id": task_id})])
            return self._result(case, list(store.open_items(conn, case_id).values()))

        return self._command(run)

    def assign(self, case_id: int, task_id: str, actor: Actor, to: Actor) -> CommandResult:
        """Hand a work item to a colleague of the same department. The one
        who holds it (or anyone, while nobody does) may hand it on."""
        def run(conn, _attempt: int, after_commit: list) -> CommandResult:
            case = store.load_case(conn, case_id)
            if case is None:
                raise NotFound(f"no case {case_id}")
            user, colleague = self._user(conn, actor), self._user(conn, to)
            item = store.open_items(conn, case_id).get(task_id)
            if item is None:
                raise Conflict(f"task {task_id} of case {case.reference} is no longer open")
            if not may_work_in(user, item.department_code):
                raise Forbidden(f"{user.username} may not act on {item.title_zh!r}")
            if not may_work_in(colleague, item.department_code):
                raise Forbidden(f"{colleague.username} is not in department {item.department_code}")
            if item.claimed_by_id not in (None, user.id):
                raise Conflict(f"{item.title_zh!r} is claimed by {item.claimed_by_name}, not by you")
            now = self.clock()
            if not store.assign_item(conn, item.id, item.claimed_by_id, colleague, now):
                raise Conflict(f"{item.title_zh!r} was claimed by someone else meanwhile")
            store.insert_events(conn, case.id, [_event(
                now, user, "assigned", task_spec=item.task_spec, task_title=item.title_zh,
                department_code=item.department_code, payload={"task_id": task_id, "to": colleague.username})])
            return self._result(case, list(store.open_items(conn, case_id).values()))

        return self._command(run)

    def fire_timers(self, case_id: int, now: datetime | None = None) -> CommandResult | None:
        """Fire the case's timers that are due at `now` and run the process
        on from them: the sweep's command (engine/timer_jobs.py). None when
        the case has nothing due any more, or another worker holds it
        (PostgreSQL: FOR UPDATE SKIP LOCKED), so a timer fires once."""
        def run(conn, _attempt: int, after_commit: list) -> CommandResult | None:
            at = now or self.clock()
            case = store.load_due_case(conn, case_id, at, skip_locked=not self.db.is_sqlite)
            if case is None:
                return None
            compiled = self.compiled_by_version(conn, case.process_version_id)
            workflow = self.load_workflow(conn, case, compiled)
            fired = timers.due_timers(workflow, at)
            self._advance(workflow, at)
            events = [_system_event(at, "timer_fired", payload={"timers": fired})] if fired else []
            items = self._persist(conn, case, workflow, compiled, at, events, store.open_items(conn, case.id))
            after_commit.append(lambda: self.workflows.put(case.id, case.version, workflow))
            return self._result(case, items)

        return self._command(run)

    def withdraw(self, case_id: int, actor: Actor, reason: str = "") -> CommandResult:
        def run(conn, _attempt: int, after_commit: list) -> CommandResult:
            case = self._load_case(conn, case_id)
            user = self._user(conn, actor)
            if not may_withdraw(user, case):
                raise Forbidden(f"{user.username} may not withdraw case {case.reference}")
            if case.status != "running":
                raise Conflict(f"case {case.reference} is already {case.status}")
            compiled = self.compiled_by_version(conn, case.process_version_id)
            workflow = self.load_workflow(conn, case, compiled)
            workflow.cancel()
            now = self.clock()
            case.status = "withdrawn"
            case.closed_at = now
            items = self._persist(conn, case, workflow, compiled, now,
                                  [_event(now, user, "withdrawn", payload={"reason": reason})],
                                  store.open_items(conn, case.id))
            return self._result(case, items)

        return self._command(run)


# ---------------------------------------------------------------- helpers

class StepBudget:
    """Engine steps one command may run before the process must wait for a
    person or a timer. A loop of script tasks or a call activity that calls
    itself would otherwise run forever inside one request."""

    MAX_STEPS = 900  # SpiffWorkflow's task iterator does not look deeper than 1000
    MAX_SECONDS = 10.0

    def __init__(self):
        self.steps = 0
        self.deadline = time.monotonic() + self.MAX_SECONDS

    def tick(self, task) -> None:
        self.steps += 1
        if self.steps > self.MAX_STEPS or time.monotonic() > self.deadline:
            spec = task.task_spec
            raise ProcessFailure(
                f"{getattr(spec, 'bpmn_name', None) or spec.name}: the process ran {self.steps} steps without "
                "waiting for anyone (an endless loop or a recursive call?); nothing was saved")


def _find_task(workflow: BpmnWorkflow, task_id: str):
    try:
        task = workflow.get_task_from_id(UUID(str(task_id)))
    except (ValueError, KeyError, TaskNotFoundException):
        task = None
    if task is None:
        raise NotFound(f"no task {task_id} in this case")
    return task


def _is_user_task(compiled: CompiledProcess, task) -> bool:
    return (task.task_spec._wf_spec.name, task.task_spec.name) in compiled.user_tasks


def _event(now, user: UserRecord | None, kind: str, *, task_spec: str = "", task_title: str = "",
           department_code: str = "", payload: dict | None = None) -> dict:
    """A case event; without a user it is the system's (the clock, a timer)."""
    return {"at": now, "actor_id": user.id if user else None, "actor_name": user.username if user else "",
            "kind": kind, "task_spec": task_spec,
            "task_title": task_title, "department_code": department_code, "payload": payload or {}}


def _system_event(now, kind: str, payload: dict, info=None) -> dict:
    """An event nobody clicked: the sweep's, or the engine's about a task
    (`info`: its UserTaskInfo)."""
    return {"at": now, "actor_id": None, "actor_name": SYSTEM_ACTOR, "kind": kind,
            "task_spec": info.bpmn_id if info else "", "task_title": info.title if info else "",
            "department_code": (info.department or "") if info else "", "payload": payload}


def _task_event(now, user: UserRecord, info, task_id: str, clean: dict) -> dict:
    return _event(now, user, "task_completed", task_spec=info.bpmn_id, task_title=info.title,
                  department_code=info.department or "", payload={"task_id": task_id, "data": clean})


def _gone_message(conn, case: CaseRecord, task, info) -> str:
    if case.status != "running":
        return f"case {case.reference} is {case.status}"
    for actor_name, at, payload in store.completions_of(conn, case.id, info.bpmn_id):
        if payload.get("task_id") == str(task.id):
            return f"{info.title!r} was already completed by {actor_name} at {at.isoformat(timespec='seconds')}"
    return f"{info.title!r} is not ready (state {TaskState.get_name(task.state)})"


def _applicant_name(data: dict | None) -> str:
    if not data:
        return ""
    for key in ("company_name", "proposed_name", "applicant_name", "legal_rep_name"):
        if data.get(key):
            return str(data[key])[:200]
    return ""


def _applicant_key(data: dict | None) -> str:
    """The identifier the window looks applicants up by: the company's
    unified social credit code, else the person's ID card number."""
    for key in ("uscc", "legal_rep_id_no", "applicant_id_no", "id_no"):
        value = (data or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip().upper()[:32]
    return ""


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig else str(exc).lower()
    return "locked" in text or "busy" in text or "deadlock" in text or "could not serialize" in text


def _engine_message(exc: Exception) -> str:
    task = getattr(exc, "task", None) or getattr(exc, "task_spec", None)
    where = ""
    if task is not None:
        spec = getattr(task, "task_spec", task)
        where = f"{getattr(spec, 'bpmn_name', None) or getattr(spec, 'name', '')}: "
    text = str(exc) if isinstance(exc, (SpiffWorkflowException, ExpressionError)) else f"{type(exc).__name__}: {exc}"
    return f"{where}{text}"
