"""The caller's department (docs/process-authoring.md, "Call activities").

A shared block such as 现场核查 is done by whichever department calls it. Its
tasks sit in a lane named `* 调用部门`; when a process is compiled, every call
activity that calls such a block gets its own copy of the block's spec
(`<block>@<process>/<call activity id>`) in which those tasks take the call
activity's lane (hence its department) and, when they have none of their
own, its `permit` property. Work items, access checks and task data then
need nothing at run time: they read the task's spec as for any other task.

At run time the copy's call activity also hands the block a `caller` dict
({department, permit, call}) in its data, so the block's own conditions can
read the approval it works on: `approvals[caller['permit']]`."""
from __future__ import annotations

import copy

from SpiffWorkflow.bpmn.specs.defaults import CallActivity

from .departments import is_caller_lane, lane_department, task_department


class OneWindowCallActivity(CallActivity):
    """A call activity that may pass its call site to the block (`caller`)."""

    caller: dict | None = None  # set by specialise() on call sites of caller-lane blocks

    def copy_data(self, my_task, subworkflow):
        super().copy_data(my_task, subworkflow)
        if self.caller:
            start = subworkflow.get_next_task(subworkflow.task_tree, skip_subprocesses=True, spec_name="Start")
            start.data["caller"] = dict(self.caller)

    def update_data(self, my_task, subworkflow):
        outer = my_task.data.get("caller")  # a block calling a block keeps its own
        super().update_data(my_task, subworkflow)
        if self.caller:
            if outer is None:
                my_task.data.pop("caller", None)
            else:
                my_task.data["caller"] = outer


def uses_caller(process_spec) -> bool:
    return any(is_caller_lane(getattr(t, "lane", None)) for t in process_spec.task_specs.values())


def specialise(spec, subprocess_specs: dict) -> list[tuple[str, str]]:
    """Give every call site of a caller-lane block its own copy of the
    block's spec (in place: `subprocess_specs` gains the copies and loses
    the originals they replace). Once per compiled version. Returns the
    (call activity id, message) of call sites that cannot work."""
    replaced: set[str] = set()
    problems = []
    pending, seen = [spec], set()
    while pending:
        process_spec = pending.pop()
        if id(process_spec) in seen:
            continue
        seen.add(id(process_spec))
        for task_spec in process_spec.task_specs.values():
            called = subprocess_specs.get(getattr(task_spec, "spec", None)) \
                if isinstance(task_spec, CallActivity) else None
            if called is None:
                continue
            if uses_caller(called):
                problems += _check_call_site(task_spec, called)
                replaced.add(called.name)
                called = _copy_for(task_spec, called, process_spec.name)
                subprocess_specs[called.name] = called
            pending.append(called)
    for name in replaced:
        subprocess_specs.pop(name, None)
    return problems


def _check_call_site(call, block) -> list[tuple[str, str]]:
    # Without a permit the block's tasks would each write under their own
    # task id and the block's conditions could not find the record.
    if not (call.extensions or {}).get("permit"):
        return [(call.name, f"calls {block.name!r}, whose '* 调用部门' tasks need the call activity's "
                            "camunda property 'permit'")]
    if not task_department(call) and not is_caller_lane(call.lane):
        return [(call.name, f"calls {block.name!r}: put the call activity in a department lane")]
    return []


def _copy_for(call, block, parent_name: str):
    department = task_department(call)
    permit = (call.extensions or {}).get("permit", "")
    clone = copy.deepcopy(block)
    clone.name = f"{block.name}@{parent_name}/{call.name}"
    if department:
        # The caller's lane name when it gives the department, else the code
        # (a call activity placed by candidateGroups).
        lane = call.lane if lane_department(call.lane) == department else department
        for task_spec in clone.task_specs.values():
            if is_caller_lane(getattr(task_spec, "lane", None)):
                task_spec.lane = lane
                if permit and not (task_spec.extensions or {}).get("permit"):
                    task_spec.extensions = {**(task_spec.extensions or {}), "permit": permit}
    call.spec = clone.name
    call.caller = {"department": department, "permit": permit, "call": call.name}
    return clone
