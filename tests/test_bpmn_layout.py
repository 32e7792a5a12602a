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
