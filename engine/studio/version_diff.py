"""A semantic diff between two process versions (issue 7, item 5).

Compares the BPMN of the two versions element by element (by id, per
process): added, removed and changed elements, and for each change the
aspect that changed with its old and new value (type, name, lane and
department, condition, timer, script, Camunda attributes such as
candidateGroups, dueDate, decisionRef, formKey, the formData fields and
properties, incoming and outgoing flows). Moves on the diagram (BPMN DI)
change nothing a case does: they are only counted. DMN tables and forms are
reported as changed files.

Read from the XML rather than from SpiffWorkflow's specs (whose SpecDiff
the case migration uses): a diagram colours BPMN elements, sequence flows and
lanes included, and the parsed specs have neither flows nor DI. Everything
returned is JSON-able, so a page can hand it to bpmn-js as it is."""
from __future__ import annotations

import re

from lxml import etree
from sqlalchemy.orm import Session

from models import ProcessVersion

from ..departments import lane_department
from ..library import BPMN_NS
from ..parser import CAMUNDA
from ..xml_safety import UnsafeXML, parse_xml

BPMN = "{" + BPMN_NS + "}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DC = "{http://www.omg.org/spec/DD/20100524/DC}"
DI = "{http://www.omg.org/spec/DD/20100524/DI}"
CONTAINERS = ("process", "subProcess", "transaction", "adHocSubProcess")
# Children of a process that are not elements of the diagram themselves.
NOT_ELEMENTS = ("laneSet", "documentation", "extensionElements", "ioSpecification", "property")
# Attributes shown as aspects of their own (the rest go by their own name).
OWN_ASPECTS = ("id", "name", "sourceRef", "targetRef")
EVENT_DEFINITIONS = ("timerEventDefinition", "messageEventDefinition", "signalEventDefinition",
                     "errorEventDefinition", "escalationEventDefinition", "conditionalEventDefinition",
                     "terminateEventDefinition", "cancelEventDefinition", "compensateEventDefinition",
                     "linkEventDefinition")


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(node) -> str:
    return re.sub(r"\s+", " ", (node.text or "") if node is not None else "").strip()


def _attribute_name(qualified: str) -> str:
    """camunda:formKey for Camunda's attributes, the plain name for BPMN's."""
    if qualified.startswith(CAMUNDA):
        return "camunda:" + qualified[len(CAMUNDA):]
    if qualified.startswith("{"):
        return _local(qualified)
    return qualified


def _canonical(node) -> str:
    return etree.tostring(node, method="c14n").decode("utf-8")


def _form_fields(extension) -> list[dict]:
    fields = []
    for form in extension.iter(CAMUNDA + "formData"):
        for field in form.iter(CAMUNDA + "formField"):
            entry = {k: v for k, v in sorted(field.attrib.items())}
            constraints = {c.get("name"): c.get("config") for c in field.iter(CAMUNDA + "constraint")}
            values = {v.get("id"): v.get("name") for v in field.iter(CAMUNDA + "value")}
            props = {p.get("id"): p.get("value") for p in field.iter(CAMUNDA + "property")}
            for key, value in (("validation", constraints), ("values", values), ("properties", props)):
                if value:
                    entry[key] = value
            fields.append(entry)
    return fields


def _extension_aspects(element) -> dict:
    aspects: dict = {}
    for extension in element.findall(BPMN + "extensionElements"):
        for child in extension:
            name = _local(child.tag)
            if child.tag == CAMUNDA + "formData":
                aspects["form_fields"] = _form_fields(extension)
            elif child.tag == CAMUNDA + "properties":
                aspects["properties"] = {p.get("name"): p.get("value") for p in child.iter(CAMUNDA + "property")}
            elif name:
                aspects.setdefault("extensions", []).append(_canonical(child))
    return aspects


def _event_aspects(element) -> dict:
    aspects: dict = {}
    kinds = []
    for definition in element:
        kind = _local(definition.tag)
        if kind not in EVENT_DEFINITIONS:
            continue
        refs = {k: v for k, v in definition.attrib.items() if k.endswith("Ref")}
        kinds.append(kind.replace("EventDefinition", "") + "".join(f":{v}" for _, v in sorted(refs.items())))
        if kind == "timerEventDefinition":
            aspects["timer"] = {_local(t.tag): _text(t) for t in definition if _local(t.tag)}
        if kind == "conditionalEventDefinition":
            aspects["condition"] = _text(definition.find(BPMN + "condition"))
    if kinds:
        aspects["event"] = kinds
    return aspects


def _signature(element, lane: str | None, flows_in: list[str], flows_out: list[str]) -> dict:
    """What an element says, aspect by aspect; equal signatures mean no change."""
    kind = _local(element.tag)
    aspects: dict = {"type": kind, "name": (element.get("name") or "").strip()}
    for qualified, value in element.attrib.items():
        name = _attribute_name(qualified)
        if name not in OWN_ASPECTS:
            aspects[name] = value
    if element.get("sourceRef") is not None:  # sequence and message flows, associations
        aspects["source"], aspects["target"] = element.get("sourceRef"), element.get("targetRef")
        condition = element.find(BPMN + "conditionExpression")
        if condition is not None:
            aspects["condition"] = _text(condition)
    else:
        if lane is not None:
            aspects["lane"] = lane
            aspects["department"] = (element.get(CAMUNDA + "candidateGroups") or "").split(",")[0].strip() \
                or lane_department(lane)
        if flows_in:
            aspects["incoming"] = flows_in
        if flows_out:
            aspects["outgoing"] = flows_out
    documentation = element.find(BPMN + "documentation")
    if documentation is not None and _text(documentation):
        aspects["documentation"] = _text(documentation)
    script = element.find(BPMN + "script")
    if script is not None:
        aspects["script"] = (script.text or "").strip()
    for loop in ("multiInstanceLoopCharacteristics", "standardLoopCharacteristics"):
        found = element.find(BPMN + loop)
        if found is not None:
            aspects["loop"] = _canonical(found)
    aspects.update(_event_aspects(element))
    aspects.update(_extension_aspects(element))
    return aspects


def _lanes(process) -> tuple[dict[str, str], dict[str, dict]]:
    """(flow node id -> name of the innermost lane holding it, lane id -> signature)."""
    of_node: dict[str, str] = {}
    lanes: dict[str, dict] = {}

    def walk(lane_set):
        for lane in lane_set.findall(BPMN + "lane"):
            name = (lane.get("name") or "").strip()
            lanes[lane.get("id", "")] = {"type": "lane", "name": name}
            for ref in lane.findall(BPMN + "flowNodeRef"):
                of_node[_text(ref)] = name
            for child in lane.findall(BPMN + "childLaneSet"):
                walk(child)  # inner lanes overwrite: a node belongs to its innermost lane

    for lane_set in process.findall(BPMN + "laneSet"):
        walk(lane_set)
    return of_node, lanes


def _elements(container, lane_of: dict[str, str], into: dict[str, dict]) -> None:
    children = [c for c in container if _local(c.tag) and _local(c.tag) not in NOT_ELEMENTS and c.get("id")]
    flows_in: dict[str, list[str]] = {}
    flows_out: dict[str, list[str]] = {}
    for flow in children:
        if _local(flow.tag) == "sequenceFlow":
            flows_out.setdefault(flow.get("sourceRef"), []).append(flow.get("id"))
            flows_in.setdefault(flow.get("targetRef"), []).append(flow.get("id"))
    for child in children:
        element_id = child.get("id")
        into[element_id] = _signature(child, lane_of.get(element_id), sorted(flows_in.get(element_id, [])),
                                      sorted(flows_out.get(element_id, [])))
        if _local(child.tag) in CONTAINERS:
            _elements(child, lane_of, into)


def _diagram(root) -> dict[str, str]:
    """bpmnElement id -> its shape or edge on the diagram, canonical."""
    shapes = {}
    for tag in ("BPMNShape", "BPMNEdge"):
        for node in root.iter(BPMNDI + tag):
            if node.get("bpmnElement"):
                keep = {k: v for k, v in node.attrib.items() if k != "id"}
                shapes[node.get("bpmnElement")] = repr(sorted(keep.items())) + "".join(
                    _canonical(child) for child in node)
    return shapes


class _Model:
    """The processes of a version's BPMN files, element by element."""

    def __init__(self, bpmn_files: dict[str, str]):
        self.processes: dict[str, dict] = {}  # process id -> {file, name, elements}
        self.diagram: dict[str, str] = {}
        self.problems: list[str] = []
        for display, text in sorted(bpmn_files.items()):
            try:
                root = parse_xml(text, display)
            except (UnsafeXML, etree.XMLSyntaxError) as exc:
                self.problems.append(f"{display}: {exc}")
                continue
            self.diagram.update(_diagram(root))
            for process in root.iter(BPMN + "process"):
                lane_of, lanes = _lanes(process)
                elements = dict(lanes)
                _elements(process, lane_of, elements)
                self.processes[process.get("id", "")] = {
                    "file": display, "name": (process.get("name") or "").strip(), "elements": elements}
            for collaboration in root.iter(BPMN + "collaboration"):
                elements: dict[str, dict] = {}
                _elements(collaboration, {}, elements)
                self.processes[collaboration.get("id", "")] = {
                    "file": display, "name": (collaboration.get("name") or "").strip(), "elements": elements}


def _entry(element_id: str, signature: dict) -> dict:
    return {"id": element_id, "type": signature.get("type", ""), "name": signature.get("name", "")}


def _process_diff(process_id: str, old: dict | None, new: dict | None,
                  old_diagram: dict, new_diagram: dict) -> dict:
    old_elements = old["elements"] if old else {}
    new_elements = new["elements"] if new else {}
    added = [_entry(i, new_elements[i]) for i in sorted(new_elements.keys() - old_elements.keys())]
    removed = [_entry(i, old_elements[i]) for i in sorted(old_elements.keys() - new_elements.keys())]
    changed, moved = [], []
    for element_id in sorted(old_elements.keys() & new_elements.keys()):
        before, after = old_elements[element_id], new_elements[element_id]
        changes = {aspect: {"old": before.get(aspect), "new": after.get(aspect)}
                   for aspect in sorted(before.keys() | after.keys()) if before.get(aspect) != after.get(aspect)}
        if changes:
            changed.append({**_entry(element_id, after), "changes": changes})
        if old_diagram.get(element_id) != new_diagram.get(element_id):
            moved.append(element_id)
    status = ("added" if old is None else "removed" if new is None
              else "changed" if added or removed or changed else "unchanged")
    marks = {e["id"]: "added" for e in added}
    marks.update({e["id"]: "removed" for e in removed})
    marks.update({e["id"]: "changed" for e in changed})
    return {"process_id": process_id, "name": (new or old)["name"], "file": (new or old)["file"],
            "status": status, "added": added, "removed": removed, "changed": changed, "marks": marks,
            "diagram_changes": len(moved), "moved": moved}


def _file_changes(old: dict[str, str], new: dict[str, str]) -> dict:
    return {"added": sorted(new.keys() - old.keys()), "removed": sorted(old.keys() - new.keys()),
            "changed": sorted(k for k in old.keys() & new.keys() if old[k] != new[k])}


def diff_files(old_files: dict, new_files: dict) -> dict:
    """The semantic diff of two versions' `files` ({"bpmn": {path: xml},
    "dmn": {...}, "forms": {...}}): per process (and collaboration) its
    added, removed and changed elements, `marks` {element id: added |
    removed | changed} for colouring, and the count of elements only moved
    on the diagram; the DMN and form files added, removed or changed."""
    old_model, new_model = _Model(old_files.get("bpmn", {})), _Model(new_files.get("bpmn", {}))
    ids = list(dict.fromkeys([*old_model.processes, *new_model.processes]))
    processes = [_process_diff(pid, old_model.processes.get(pid), new_model.processes.get(pid),
                               old_model.diagram, new_model.diagram) for pid in ids]
    files = {kind: _file_changes(old_files.get(kind, {}), new_files.get(kind, {})) for kind in ("bpmn", "dmn", "forms")}
    return {
        "processes": processes,
        "files": files,
        "problems": old_model.problems + new_model.problems,
        "summary": {
            "added": sum(len(p["added"]) for p in processes),
            "removed": sum(len(p["removed"]) for p in processes),
            "changed": sum(len(p["changed"]) for p in processes),
            "diagram_changes": sum(p["diagram_changes"] for p in processes),
            "files_changed": sum(len(v) for f in files.values() for v in f.values()),
        },
    }


def _version_info(version: ProcessVersion) -> dict:
    return {"id": version.id, "scenario": version.scenario_key, "version": version.version,
            "content_hash": version.content_hash, "deployed_by": version.deployed_by_name,
            "deployed_at": version.deployed_at.isoformat() if version.deployed_at else None}


def diff_versions(session: Session, from_version_id: int, to_version_id: int) -> dict:
    """diff_files of two deployed versions, with who deployed them and the
    top-level metadata.json keys that changed ({key: {old, new}})."""
    from ..runtime.errors import NotFound

    old, new = session.get(ProcessVersion, from_version_id), session.get(ProcessVersion, to_version_id)
    if old is None or new is None:
        raise NotFound(f"no process version {from_version_id if old is None else to_version_id}")
    result = diff_files(old.files, new.files)
    meta_old, meta_new = old.meta or {}, new.meta or {}
    result["metadata"] = {k: {"old": meta_old.get(k), "new": meta_new.get(k)}
                          for k in sorted(meta_old.keys() | meta_new.keys()) if meta_old.get(k) != meta_new.get(k)}
    result["from"], result["to"] = _version_info(old), _version_info(new)
    return result
