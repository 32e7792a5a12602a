"""Workflow state to JSON and back, without the spec.

SpiffWorkflow's serializer writes the whole spec into every workflow; we
store the spec once per process version (as its files) and hand the parsed
spec objects back in on load, so a case row holds only its tasks and data
(DESIGN.md decision 4)."""
from __future__ import annotations

import os

import orjson
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.event_definition import TimerConditionalEventDefinitionConverter
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, TaskConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from .timers import CLOCK_TIMERS

FORMAT = "onewindow-state-1"
VERIFY = os.environ.get("ONEWINDOW_VERIFY_STATE") == "1"


PREDICTED = TaskState.FUTURE | TaskState.LIKELY | TaskState.MAYBE


class CachedTaskConverter(TaskConverter):
    """Reuse a task's dictionary while nothing it is made of has changed.

    A finished task (completed, cancelled, error) never changes again except
    for its children list (a join may drop them). A predicted task (future,
    likely, maybe) gets its data only when it becomes ready, so what is
    stored for it (its data as a delta against its parent's) changes only
    when its own or its parent's state does. Both are keyed on exactly
    those; ready and waiting tasks are always converted afresh. A step then
    converts only what it touched. ONEWINDOW_VERIFY_STATE=1 (the test suite
    sets it) checks every reuse against a fresh conversion."""

    def to_dict(self, task):
        state = task.state
        if state & TaskState.FINISHED_MASK:
            key = (state, task.last_state_change, tuple(task._children))
        elif state & PREDICTED:
            parent = task.parent
            key = (state, task.last_state_change, tuple(task._children), len(task.data),
                   parent.state if parent else None, parent.last_state_change if parent else None)
        else:
            return super().to_dict(task)
        cached = task.__dict__.get("_onewindow_dict")
        if cached is not None and cached[0] == key:
            if VERIFY:
                self._verify(task, cached[1])
            return cached[1]
        dct = super().to_dict(task)
        task._onewindow_dict = (key, dct)
        return dct

    def _verify(self, task, cached: dict) -> None:
        # The registry adds "typename" to what to_dict returns.
        fresh = {**super().to_dict(task), "typename": cached.get("typename")}
        if fresh != cached:
            changed = {k: (cached.get(k), fresh.get(k)) for k in set(fresh) | set(cached)
                       if fresh.get(k) != cached.get(k)}
            raise AssertionError(f"stale serialization cached for task {task.task_spec.name} "
                                 f"({task.id}): {changed}"[:3000])


class SpeclessWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def restore_into(self, dct, workflow):
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _registry():
    registry = BpmnWorkflowSerializer.configure(CAMUNDA_CONFIG)
    # Registering replaces the default converters of these classes.
    CachedTaskConverter(Task, registry)
    for timer_class in CLOCK_TIMERS.values():  # engine/timers.py, in thrown events
        TimerConditionalEventDefinitionConverter(timer_class, registry)
    return registry, SpeclessWorkflowConverter(BpmnWorkflow, registry)


_REGISTRY, _CONVERTER = _registry()


def dump(workflow: BpmnWorkflow) -> str:
    state = _REGISTRY.convert(workflow)
    state["format"] = FORMAT
    # orjson: several times faster than json on the 40 KB a case holds.
    return orjson.dumps(state, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


def load(text: str, spec, subprocess_specs: dict, script_engine) -> BpmnWorkflow:
    dct = orjson.loads(text)
    fmt = dct.pop("format", None)
    if fmt != FORMAT:
        raise ValueError(f"unknown workflow state format {fmt!r}")
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine, deserializing=True)
    return _CONVERTER.restore_into(dct, workflow)
