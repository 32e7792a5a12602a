"""Moving one case's workflow onto a newer version's specs (DESIGN.md
decision 9), in memory: what would change for the case, what would strand
it, and the move itself. engine/case_migration.py wraps this in a command.

Built on SpiffWorkflow's own diff (SpiffWorkflow/bpmn/util/diff.py): a
SpecDiff per process (top level and every subprocess the case has run or
runs) aligns the old task specs with the new ones, WorkflowDiff maps the
case's tasks, and migrate_workflow swaps the specs and resets the READY and
WAITING tasks so they are predicted again from the new model. On top of it
this module refuses what would leave a token where it can never move on:

* a live task (ready, waiting, or a running call activity) whose element is
  gone, whose type changed, or whose call activity now calls another block;
* a parallel or inclusive split that already fired and gains a branch while
  its branches still run: the new branch never gets its token, so the
  join waits for it forever (or, inclusive, the case silently skips it);
* an element the case already passed that is gone: the stored state names
  every task's element, and a name the new version lacks cannot be loaded."""
from __future__ import annotations

import threading
from copy import deepcopy
from dataclasses import asdict, dataclass, field

from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.defaults import InclusiveGateway, ParallelGateway
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.util.task import TaskState

from .gateways import LIVE
from .specs import CompiledProcess

FINISHED = TaskState.FINISHED_MASK
PREDICTED = TaskState.PREDICTED_MASK | TaskState.FUTURE
# What SpecDiff reports (converter attribute names), as the pages say it.
ASPECTS = {"typename": "type", "bpmn_name": "name", "lane": "lane", "extensions": "camunda attributes",
           "documentation": "documentation", "outputs": "outgoing flows", "inputs": "incoming flows",
           "cond_task_specs": "conditions", "default_task_spec": "default flow", "event_definition": "event",
           "form": "form", "spec": "called block", "script": "script", "decision_ref": "decision",
           "prescript": "script", "postscript": "script"}


@dataclass
class Reason:
    """Why a case cannot move: a stable code and a message for people."""

    code: str
    message: str
    element: str = ""
    name: str = ""
    process_id: str = ""
    task_id: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TaskReport:
    """One live task of the case: what happens to it."""

    task_id: str
    element: str
    process_id: str
    state: str
    name: str
    new_name: str = ""
    changes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "blocked" if self.reasons else "changed" if self.changes else "unchanged"

    def as_dict(self) -> dict:
        return {**asdict(self), "status": self.status}


# ------------------------------------------------------------------ comparing specs

_REGISTRY_LOCK = threading.Lock()
_REGISTRY = BpmnWorkflowSerializer.configure(CAMUNDA_CONFIG)


def comparison_registry(*specs):
    """SpiffWorkflow's serializer registry, taught our subclasses of its
    task specs and timers (call sites, round-aware joins, clock timers) with
    their base class's converter: SpecDiff compares specs as converted
    dictionaries, and our specs are never serialized otherwise."""
    with _REGISTRY_LOCK:
        for spec in specs:
            for task_spec in spec.task_specs.values():
                _teach(task_spec)
                _teach(getattr(task_spec, "event_definition", None))
    return _REGISTRY


def _teach(obj) -> None:
    cls = obj.__class__ if obj is not None else None
    if cls is None or cls in _REGISTRY.typenames:
        return
    base = next((b for b in cls.__mro__[1:] if b in CAMUNDA_CONFIG), None)
    if base is not None:
        CAMUNDA_CONFIG[base](cls, _REGISTRY)


def _label(spec) -> str:
    return getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name


def _aspects(changed: list[str]) -> list[str]:
    return sorted({ASPECTS.get(name, name) for name in changed})


# ------------------------------------------------------------------ the plan

class MigrationPlan:
    """The diff of one case's workflow against a new version, the reasons it
    cannot move (empty: it can) and what changes for its live tasks."""

    def __init__(self, workflow, new: CompiledProcess):
        self.workflow = workflow
        self.new = new
        self.reasons: list[Reason] = []
        self.tasks: list[TaskReport] = []
        self.diffs: list[tuple[object, object, object, SpecDiff, WorkflowDiff]] = []  # (wf, old spec, new spec, ...)
        self._diff_all()
        for wf, _old, new_spec, spec_diff, wf_diff in self.diffs:
            self._check_tasks(wf, spec_diff)
            self._check_splits(wf, new_spec, spec_diff)

    @property
    def can_migrate(self) -> bool:
        return not self.reasons

    def _diff_all(self) -> None:
        workflow, new = self.workflow, self.new
        pairs = [(workflow, workflow.spec, new.spec)]
        for sp in workflow.subprocesses.values():
            new_spec = new.subprocess_specs.get(sp.spec.name)
            if new_spec is None:
                self._refuse_block(sp)
                continue
            pairs.append((sp, sp.spec, new_spec))
        registry = comparison_registry(*(s for _, old, new_spec in pairs for s in (old, new_spec)))
        for wf, old_spec, new_spec in pairs:
            spec_diff = SpecDiff(registry, old_spec, new_spec)
            self.diffs.append((wf, old_spec, new_spec, spec_diff, WorkflowDiff(wf, spec_diff)))

    def _refuse_block(self, sp) -> None:
        caller = self.workflow.get_task_from_id(sp.parent_task_id)
        running = not sp.completed
        element = caller.task_spec if caller is not None else None
        self.reasons.append(Reason(
            "block_removed" if running else "passed_element_removed",
            f"the block {sp.spec.name!r} that {_label(element) if element else 'a call activity'} "
            + ("is running" if running else "ran") + " is not called the same way in the new version",
            element=(element.bpmn_id or "") if element else "", name=_label(element) if element else "",
            process_id=sp.spec.name, task_id=str(sp.parent_task_id)))

    def _check_tasks(self, wf, spec_diff: SpecDiff) -> None:
        process_id = wf.spec.name
        for task in list(wf.tasks.values()):
            old_spec = task.task_spec
            target = spec_diff.alignment.get(old_spec)
            changed = spec_diff.changed.get(old_spec, [])
            if task.state & LIVE:
                report = TaskReport(str(task.id), old_spec.bpmn_id or old_spec.name, process_id,
                                    TaskState.get_name(task.state), _label(old_spec),
                                    _label(target) if target is not None else "", _aspects(changed))
                for reason in self._live_reasons(task, old_spec, target, changed):
                    report.reasons.append(reason.message)
                    self.reasons.append(reason)
                if old_spec.bpmn_id:  # engine-internal specs (joins of the end, roots) are not shown
                    self.tasks.append(report)
            elif task.state & FINISHED and target is None:
                self.reasons.append(Reason(
                    "passed_element_removed",
                    f"the case already passed {_label(old_spec)!r} ({old_spec.name}), which the new version "
                    "removes: its stored history would no longer match the process",
                    old_spec.bpmn_id or old_spec.name, _label(old_spec), process_id, str(task.id)))

    def _live_reasons(self, task, old_spec, target, changed: list[str]) -> list[Reason]:
        where = dict(element=old_spec.bpmn_id or old_spec.name, name=_label(old_spec),
                     process_id=task.workflow.spec.name, task_id=str(task.id))
        state = TaskState.get_name(task.state).lower()
        if target is None:
            return [Reason("task_removed", f"{_label(old_spec)!r} is {state} in this case and the new version "
                                           "removes it: its token would be stranded", **where)]
        if "typename" in changed:
            return [Reason("task_type_changed", f"{_label(old_spec)!r} is {state} in this case and the new "
                           f"version makes it a {type(target).__name__} instead of a {type(old_spec).__name__}",
                           **where)]
        if isinstance(old_spec, SubWorkflowTask) and old_spec.spec != target.spec and task.state & LIVE:
            return [Reason("block_changed", f"{_label(old_spec)!r} is running the block {old_spec.spec!r}; "
                           f"the new version calls {target.spec!r} there", **where)]
        return []

    def _check_splits(self, wf, new_spec, spec_diff: SpecDiff) -> None:
        """A split that fired and gains an outgoing branch while its branches
        still run: the new branch never gets a token."""
        for task in list(wf.tasks.values()):
            old_spec = task.task_spec
            if not (task.state & TaskState.COMPLETED and isinstance(old_spec, (ParallelGateway, InclusiveGateway))
                    and len(old_spec.outputs) > 1):
                continue
            target = spec_diff.alignment.get(old_spec)
            if target is None:
                continue
            had = {spec_diff.alignment.get(o) for o in old_spec.outputs}
            added = [o for o in target.outputs if o not in had]
            if not added:
                continue
            joins = _joins_after(added)
            old_joins = {old.name for old, new in spec_diff.alignment.items() if new is not None and new.name in joins}
            if not _section_open(task, old_joins):
                continue
            join_names = ", ".join(sorted(_label(new_spec.task_specs[j]) for j in joins)) or "the end"
            self.reasons.append(Reason(
                "branch_added_after_split",
                f"the gateway {_label(old_spec)!r} ({old_spec.bpmn_id}) already fired in this case; the new "
                f"version adds a branch to {', '.join(repr(_label(a)) for a in added)} behind it, which would "
                f"never get its token, so {join_names} would wait for it forever",
                old_spec.bpmn_id or old_spec.name, _label(old_spec), wf.spec.name, str(task.id)))

    # -------------------------------------------------------------- the move

    def apply(self) -> int:
        """Move the workflow onto the new specs (SpiffWorkflow's
        migrate_workflow for the top level and each subprocess). Timers
        whose definition did not change keep their deadline. Returns how
        many predicted tasks were dropped."""
        if not self.can_migrate:
            raise ValueError("this case cannot be migrated: " + "; ".join(r.message for r in self.reasons))
        workflow = self.workflow
        timers = _unchanged_timers(self.diffs)
        dropped = 0
        for wf, _old, new_spec, _spec_diff, wf_diff in self.diffs:
            dropped += len(migrate_workflow(wf_diff, wf, new_spec))
            dropped += _repredict_started(wf)
        workflow.subprocess_specs = self.new.subprocess_specs
        for wf in (workflow, *workflow.subprocesses.values()):
            for task in wf.tasks.values():
                task.__dict__.pop("_onewindow_dict", None)  # engine/state_codec.py's cache of the old spec's name
                saved = timers.get(task.id)
                if saved is not None and task.state == TaskState.WAITING:
                    task.internal_data = saved
        _verify(workflow, self.new)
        return dropped

    def changes(self) -> dict:
        """What changed for the case, for its event."""
        return {"tasks": [t.as_dict() for t in self.tasks if t.changes]}


def _joins_after(starts: list) -> set[str]:
    """Names of the first joins (parallel or inclusive gateways with several
    inputs) reached from `starts` in the new spec."""
    found, seen, pending = set(), set(), list(starts)
    while pending:
        spec = pending.pop()
        if spec.name in seen:
            continue
        seen.add(spec.name)
        if isinstance(spec, (ParallelGateway, InclusiveGateway)) and len(spec.inputs) > 1:
            found.add(spec.name)
            continue
        pending.extend(spec.outputs)
    return found


def _section_open(split_task, join_names: set[str]) -> bool:
    """Whether the branches this split instance started still run: a live
    task below it, and none of their joins completed below it."""
    live = False
    for task in split_task:  # the subtree, the split itself first
        if task.task_spec.name in join_names and task.state & TaskState.COMPLETED:
            return False
        live = live or bool(task.state & LIVE)
    return live


def _unchanged_timers(diffs) -> dict:
    """Internal data (the computed deadline) of waiting timer events whose
    spec did not change: migrate_workflow resets waiting tasks, which would
    restart their timers from the moment of the migration."""
    kept = {}
    for wf, _old, _new, spec_diff, _wf_diff in diffs:
        for task in wf.tasks.values():
            definition = getattr(task.task_spec, "event_definition", None)
            if task.state == TaskState.WAITING and isinstance(definition, TimerEventDefinition) \
                    and not spec_diff.changed.get(task.task_spec):
                kept[task.id] = deepcopy(task.internal_data)
    return kept


def _repredict_started(wf) -> int:
    """A running call activity (STARTED) is not reset by migrate_workflow,
    but what it predicts after itself comes from the old spec: predict it
    again from the new one."""
    dropped = 0
    for task in list(wf.tasks.values()):
        if task.state != TaskState.STARTED or task.id not in wf.tasks:
            continue
        below = list(task)[1:]
        if any(not (t.state & PREDICTED) for t in below):
            continue  # something below already ran: leave the branch as it is
        task._drop_children(force=True)
        dropped += len(below)
        task.task_spec._predict(task, mask=TaskState.STARTED | PREDICTED)
    return dropped


def _verify(workflow, new: CompiledProcess) -> None:
    """Every task now stands on an element of the new version, or the state
    would not load again."""
    for wf in (workflow, *workflow.subprocesses.values()):
        specs = wf.spec.task_specs
        for task in wf.tasks.values():
            if specs.get(task.task_spec.name) is not task.task_spec:
                raise ValueError(f"task {task.task_spec.name} ({TaskState.get_name(task.state)}) has no element "
                                 f"in process {wf.spec.name!r} of the new version")
