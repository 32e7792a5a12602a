"""engine/bpmn_layout.py: a process without a diagram gets one that draws
every element, and laying out twice gives the same file."""
from __future__ import annotations

import pytest
from lxml import etree

from engine.bpmn_layout import layout
from engine.xml_safety import parse_xml

from .conftest import PROCESSES
from .test_process_files import NS, test_every_element_has_a_shape_and_every_flow_an_edge as check_di

FILES = sorted(PROCESSES.rglob("*.bpmn"))


def strip_diagram(xml: bytes) -> bytes:
    root = parse_xml(xml)
    for diagram in root.findall("bpmndi:BPMNDiagram", NS):
        root.remove(diagram)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_layout_draws_a_process_that_had_no_diagram(path, tmp_path):
    bare = strip_diagram(path.read_bytes())
    assert b"BPMNShape" not in bare
    drawn = tmp_path / path.name
    drawn.write_bytes(layout(bare))
    check_di(drawn)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_layout_is_stable(path):
    once = layout(path.read_bytes())
    assert layout(once) == once


def test_a_collapsed_subprocess_gets_a_plane_of_its_own():
    """bpmn-js drills into a collapsed sub-process only when a diagram's
    plane refers to it; its content is drawn there, from the same origin."""
    root = parse_xml(layout((PROCESSES / "construction_project" / "construction_project.bpmn").read_bytes()))
    planes = {p.get("bpmnElement"): p for p in root.iterfind(".//bpmndi:BPMNPlane", NS)}
    assert set(planes) == {"Collaboration_construction_project", "Sub_Stage1", "Sub_Stage2", "Sub_Stage3", "Sub_Stage4"}
    drawn = {s.get("bpmnElement") for s in planes["Sub_Stage3"].iterfind("bpmndi:BPMNShape", NS)}
    assert {"Start_S3", "Task_ReviewFire", "Task_ConstructionPermit", "End_S3"} <= drawn
    main = {s.get("bpmnElement"): s for s in planes["Collaboration_construction_project"].iterfind("bpmndi:BPMNShape", NS)}
    assert main["Sub_Stage3"].get("isExpanded") == "false" and "Task_ReviewFire" not in main
