"""Lint rules the studio adds to the engine's validator: faults a designer
makes while drawing that the parser either accepts or reports far from the
element (a task nobody's queue shows, a flow left hanging, a gateway that
can find no way out at run time). Each problem names its element, so the
editor can put it on the diagram."""
from __future__ import annotations

from lxml import etree

from ..departments import is_caller_lane, lane_department
from ..library import BPMN_NS
from ..parser import CAMUNDA
from ..problems import Problem
from ..xml_safety import UnsafeXML, parse_xml

BPMN = "{" + BPMN_NS + "}"
CONTAINERS = ("process", "subProcess", "transaction", "adHocSubProcess")
ACTIVITIES = ("task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask", "sendTask",
              "receiveTask", "callActivity", "subProcess", "transaction", "adHocSubProcess")
EVENTS = ("startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent")
GATEWAYS = ("exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway")
FLOW_NODES = ACTIVITIES + EVENTS + GATEWAYS
# Tasks that wait for a person become work items (engine/specs.py): each
# needs a department to offer it to.
PERSON_TASKS = ("userTask", "manualTask")
CHOOSING_GATEWAYS = ("exclusiveGateway", "inclusiveGateway")


def lint_bpmn(display: str, text: str) -> list[Problem]:
    """Every lint problem of one BPMN file; unreadable XML is left to the
    library scan, which reports it."""
    try:
        root = parse_xml(text, display)
    except (UnsafeXML, etree.XMLSyntaxError):
        return []
    problems: list[Problem] = []
    lanes = _lanes_by_node(root)
    for tag in CONTAINERS:
        for container in root.iter(BPMN + tag):
            problems += _container_problems(display, container, lanes)
    return problems


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _lanes_by_node(root) -> dict[str, str]:
    """Node id -> lane name, as SpiffWorkflow reads it: the last lane in the
    document that lists the node (nested lanes come after their parent)."""
    lanes = {}
    for ref in root.iter(BPMN + "flowNodeRef"):
        if ref.text:
            lanes[ref.text.strip()] = ref.getparent().get("name") or ""
    return lanes


def _container_problems(display: str, container, lanes: dict[str, str]) -> list[Problem]:
    nodes = {el.get("id"): el for el in container if _local(el) in FLOW_NODES and el.get("id")}
    flows = [el for el in container if _local(el) == "sequenceFlow"]
    incoming: dict[str, list] = {node_id: [] for node_id in nodes}
    outgoing: dict[str, list] = {node_id: [] for node_id in nodes}
    problems: list[Problem] = []
    for flow in flows:
        flow_id = flow.get("id", "")
        for end, attribute, found in (("source", "sourceRef", outgoing), ("target", "targetRef", incoming)):
            ref = flow.get(attribute)
            if not ref:
                problems.append(Problem(display, flow_id, f"sequence flow has no {end}"))
            elif ref not in nodes:
                problems.append(Problem(display, flow_id, f"sequence flow's {end} {ref!r} does not exist"))
            else:
                found[ref].append(flow)
    ad_hoc = _local(container) == "adHocSubProcess"  # its activities run without flows
    for node_id, node in nodes.items():
        if not ad_hoc:
            problems += _dangling(display, node, incoming[node_id], outgoing[node_id])
        if _local(node) in CHOOSING_GATEWAYS:
            problems += _gateway_exits(display, node, outgoing[node_id])
        if _local(node) in PERSON_TASKS:
            problems += _department(display, node, lanes)
    return problems


def _has(node, definition: str) -> bool:
    return node.find(BPMN + definition) is not None


def _dangling(display: str, node, incoming: list, outgoing: list) -> list[Problem]:
    kind, node_id = _local(node), node.get("id")
    if node.get("isForCompensation") == "true" or node.get("triggeredByEvent") == "true":
        return []  # reached by compensation or by its event, never by a flow
    needs_in = kind not in ("startEvent", "boundaryEvent") and not (
        kind == "intermediateCatchEvent" and _has(node, "linkEventDefinition"))
    needs_out = kind != "endEvent" and not (
        kind == "intermediateThrowEvent" and _has(node, "linkEventDefinition")) and not (
        kind == "boundaryEvent" and _has(node, "compensateEventDefinition"))
    problems = []
    if needs_in and not incoming:
        problems.append(Problem(display, node_id, "has no incoming sequence flow: nothing can reach it"))
    if needs_out and not outgoing:
        problems.append(Problem(display, node_id, "has no outgoing sequence flow: the case would stop here"))
    return problems


def _gateway_exits(display: str, gateway, outgoing: list) -> list[Problem]:
    if len(outgoing) < 2:
        return []
    default = gateway.get("default")
    flow_ids = [f.get("id") for f in outgoing]
    if default:
        if default in flow_ids:
            return []
        return [Problem(display, gateway.get("id"), f"default flow {default!r} is not one of the gateway's "
                        "outgoing flows")]
    bare = [f.get("id", "") for f in outgoing if not (_condition(f) or "").strip()]
    if not bare:
        return []
    return [Problem(display, gateway.get("id"), f"gateway with {len(outgoing)} outgoing flows needs a default "
                    "flow or a condition on every outgoing flow (no condition on: " + ", ".join(bare) + ")")]


def _condition(flow) -> str | None:
    condition = flow.find(BPMN + "conditionExpression")
    return condition.text if condition is not None else None


def _department(display: str, task, lanes: dict[str, str]) -> list[Problem]:
    if (task.get(CAMUNDA + "candidateGroups") or "").strip():
        return []
    lane = _lane_of(task, lanes)
    if lane_department(lane) or is_caller_lane(lane):
        return []
    return [Problem(display, task.get("id"), "user task has no department: put it in a lane named "
                    "'<code> <name>' or set camunda:candidateGroups")]


def _lane_of(node, lanes: dict[str, str]) -> str | None:
    """A node's own lane, else that of the subprocess holding it (as the
    engine's parser passes a subprocess's lane to its children)."""
    while node is not None:
        if node.get("id") in lanes:
            return lanes[node.get("id")]
        node = node.getparent()
        if node is None or _local(node) == "process":
            return None
    return None
