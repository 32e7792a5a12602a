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
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, TaskConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

FORMAT = "onewindow-state-1"
VERIFY = os.environ.get("ONEWINDOW_VERIFY_STATE") == "1"


class CachedTaskConverter(TaskConverter):
    """A finished task (completed, cancelled, error) never changes again
    except for its children list (a join may drop them), so its dictionary
    is kept on the task and reused while its state change time and children
    are the same. A step then serializes only what it touched, and its cost
    barely grows as the case grows older. ONEWINDOW_VERIFY_STATE=1 (the
    test suite sets it) checks every reuse against a fresh conversion."""

    def to_dict(self, task):
        if not task.state & TaskState.FINISHED_MASK:
            return super().to_dict(task)
        key = (task.state, task.last_state_change, tuple(task._children))
        cached = task.__dict__.get("_onewindow_dict")
        if cached is not None and cached[0] == key:
            if VERIFY:
                # The registry adds "typename" to what to_dict returns.
                fresh = {**super().to_dict(task), "typename": cached[1].get("typename")}
                if fresh != cached[1]:
                    raise AssertionError(f"stale serialization cached for task {task.task_spec.name} ({task.id}): "
                                         f"{ {k: (cached[1].get(k), fresh.get(k)) for k in set(fresh) | set(cached[1]) if fresh.get(k) != cached[1].get(k)} }"[:3000])
            return cached[1]
        dct = super().to_dict(task)
        task._onewindow_dict = (key, dct)
        return dct


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
