"""Which sequence flows a case took, read from its task tree.

SpiffWorkflow records no flow ids, but every task hangs under the task it
came from: a finished parent with a child that actually ran (or reached a
join and was merged there, which SpiffWorkflow marks CANCELLED) means the
flow between their BPMN elements was taken. Predicted children (MAYBE,
LIKELY, FUTURE) were not."""
from __future__ import annotations

from collections import defaultdict

from lxml import etree
from SpiffWorkflow.util.task import TaskState

from ..library import BPMN_NS
from ..xml_safety import parse_xml

BPMN = "{" + BPMN_NS + "}"
REACHED = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.CANCELLED


def flows_by_endpoints(bpmn_files: dict[str, str]) -> dict[tuple[str, str, str], list[str]]:
    """(process id, source element id, target element id) -> flow ids."""
    flows: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for display, text in bpmn_files.items():
        root = parse_xml(text, display)
        for process in root.iter(BPMN + "process"):
            _collect(process, process.get("id"), flows)
    return dict(flows)


SUBPROCESSES = {BPMN + "subProcess", BPMN + "transaction", BPMN + "adHocSubProcess"}


def _collect(container: etree._Element, process_id: str, flows) -> None:
    """A flow inside an embedded sub-process belongs to the sub-process's
    own spec, which SpiffWorkflow names after the sub-process element."""
    for flow in container.iter(BPMN + "sequenceFlow"):
        owner = flow.getparent()
        spec_name = owner.get("id") if owner.tag in SUBPROCESSES else process_id
        flows[(spec_name, flow.get("sourceRef"), flow.get("targetRef"))].append(flow.get("id"))


def _bpmn_ancestor(task):
    """The nearest ancestor that is a BPMN element (SpiffWorkflow inserts
    internal tasks, e.g. the parent of a task with boundary events)."""
    parent = task.parent
    while parent is not None and getattr(parent.task_spec, "bpmn_id", None) is None:
        parent = parent.parent
    return parent


def spec_files(bpmn_files: dict[str, str]) -> dict[str, str]:
    """Spec name (a process, or an embedded sub-process) -> the file that
    draws it: flow ids are unique only within a file."""
    found: dict[str, str] = {}
    for display, text in bpmn_files.items():
        root = parse_xml(text, display)
        for process in root.iter(BPMN + "process"):
            found.setdefault(process.get("id"), display)
            for sub in process.iter(*SUBPROCESSES):
                found.setdefault(sub.get("id"), display)
    return found


def taken_flow_keys(workflow, flows: dict[tuple[str, str, str], list[str]]) -> set[tuple[str, str]]:
    """(spec name, flow id) of every flow the case took."""
    taken: set[tuple[str, str]] = set()
    for wf in (workflow, *workflow.subprocesses.values()):
        for task in wf.tasks.values():
            target = getattr(task.task_spec, "bpmn_id", None)
            if target is None or not task.state & REACHED:
                continue
            parent = _bpmn_ancestor(task)
            if parent is None or parent.state != TaskState.COMPLETED:
                continue
            # A block's per-call-site copy (engine/call_sites.py) is named
            # "<block>@<caller>/<call>": its flows are the block's.
            process_id = task.task_spec._wf_spec.name.split("@", 1)[0]
            key = (process_id, parent.task_spec.bpmn_id, target)
            taken.update((process_id, flow) for flow in flows.get(key, ()))
    return taken
