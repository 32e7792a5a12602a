"""The process library's files as designers see them: full BPMN DI (a shape
for every element, lanes and participant included, an edge for every flow)
so that the Camunda Modeler and bpmn-js draw them; laid out without
overlapping shapes; metadata complete."""
from __future__ import annotations

import json

import pytest
from lxml import etree

from engine.xml_safety import parse_xml

from .conftest import PROCESSES

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC"}
FILES = sorted(PROCESSES.rglob("*.bpmn"))
DRAWN = ("startEvent", "endEvent", "userTask", "scriptTask", "businessRuleTask", "callActivity", "task",
         "manualTask", "serviceTask", "exclusiveGateway", "inclusiveGateway", "parallelGateway",
         "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "subProcess", "lane", "participant")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_element_has_a_shape_and_every_flow_an_edge(path):
    root = parse_xml(path.read_bytes())
    shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement") for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    elements = [e for tag in DRAWN for e in root.iterfind(f".//bpmn:{tag}", NS)]
    assert elements
    missing = [e.get("id") for e in elements if e.get("id") not in shapes]
    assert missing == []
    flows = [f.get("id") for f in root.iterfind(".//bpmn:sequenceFlow", NS)]
    assert [f for f in flows if f not in edges] == []
    assert root.find(".//bpmn:lane", NS) is not None, "departments are lanes"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_flow_nodes_do_not_overlap(path):
    """Within each plane: a collapsed sub-process has a plane of its own
    (drilled into in bpmn-js), drawn from the same origin as the main one."""
    root = parse_xml(path.read_bytes())
    for plane in root.iterfind(".//bpmndi:BPMNPlane", NS):
        boxes = []
        for shape in plane.iterfind("bpmndi:BPMNShape", NS):
            element = root.find(f".//*[@id='{shape.get('bpmnElement')}']")
            if element is None or etree.QName(element).localname in ("lane", "participant"):
                continue
            b = shape.find("dc:Bounds", NS)
            boxes.append((shape.get("bpmnElement"), float(b.get("x")), float(b.get("y")),
                          float(b.get("x")) + float(b.get("width")), float(b.get("y")) + float(b.get("height"))))
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
                assert not overlap, f"{a[0]} overlaps {b[0]}"


@pytest.mark.parametrize("meta_path", sorted(PROCESSES.rglob("metadata.json")), ids=lambda p: p.parent.name)
def test_metadata_is_complete(meta_path):
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["name"]["zh"] and meta["name"]["en"]
    assert meta["category"] in ("one_thing", "construction", "shared_block")
    assert meta["promised_working_days"] > 0
    for approval in meta["approvals"]:
        assert approval["department"] in meta["departments"]
        assert approval["legal_limit_working_days"] is None or approval["legal_limit_working_days"] >= 0
    for material in meta["materials"]:
        assert {"reusable", "deferrable", "original_required"} <= set(material)


def test_docs_processes_is_generated_from_the_metadata():
    """docs/processes.md is `onewindow docs` output: regenerate it after
    changing a metadata file."""
    from engine.process_docs import render

    committed = (PROCESSES.parent / "docs" / "processes.md").read_text(encoding="utf-8")
    assert committed == render(PROCESSES), "docs/processes.md is stale: run `onewindow docs > docs/processes.md`"
