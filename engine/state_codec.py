"""Workflow state to JSON and back, without the spec.

SpiffWorkflow's serializer writes the whole spec into every workflow; we
store the spec once per process version (as its files) and hand the parsed
spec objects back in on load, so a case row holds only its tasks and data
(DESIGN.md decision 4)."""
from __future__ import annotations

import json
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

FORMAT = "onewindow-state-1"


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
    # Registering replaces the default BpmnWorkflow converter.
    return registry, SpeclessWorkflowConverter(BpmnWorkflow, registry)


_REGISTRY, _CONVERTER = _registry()


def dump(workflow: BpmnWorkflow) -> str:
    state = _REGISTRY.convert(workflow)
    state["format"] = FORMAT
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


def load(text: str, spec, subprocess_specs: dict, script_engine) -> BpmnWorkflow:
    dct = json.loads(text)
    fmt = dct.pop("format", None)
    if fmt != FORMAT:
        raise ValueError(f"unknown workflow state format {fmt!r}")
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=script_engine, deserializing=True)
    return _CONVERTER.restore_into(dct, workflow)
