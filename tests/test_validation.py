"""validate refuses bad process files with `file:element: message` and never
raises; hostile XML is refused before it is parsed."""
from __future__ import annotations

import pytest
from lxml import etree

from engine.deployment import validate_paths
from engine.xml_safety import UnsafeXML, parse_xml
from tests.bpmn_factory import one_task_process, write

from .conftest import PROCESSES


def problems_for(tmp_path, text: str):
    _, problems = validate_paths([write(tmp_path, text)])
    return problems


def test_the_process_library_is_valid():
    bundles, problems = validate_paths([PROCESSES])
    assert problems == []
    keys = {b.key for b in bundles}
    assert {"restaurant", "company_setup"} <= keys


def test_a_plain_valid_file_is_accepted(tmp_path):
    text = one_task_process(task='<bpmn:userTask id="Task_A" name="审查"/>')
    assert problems_for(tmp_path, text) == []


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n',
    '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
    '<!DOCTYPE foo SYSTEM "http://example.invalid/evil.dtd">\n',
])
def test_doctype_and_entities_are_refused(tmp_path, prolog):
    problems = problems_for(tmp_path, one_task_process(prolog=prolog))
    assert len(problems) == 1
    assert "DOCTYPE" in problems[0].message
    assert problems[0].file.endswith("tiny.bpmn")


def test_parse_xml_refuses_entities_even_without_a_doctype_keyword_in_the_head():
    body = b"<?xml version='1.0'?>" + b" " * 5000 + b"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>"
    with pytest.raises(UnsafeXML):
        parse_xml(body)


def test_malformed_xml_names_the_line(tmp_path):
    problems = problems_for(tmp_path, "<bpmn:definitions xmlns:bpmn='x'>\n<oops>\n")
    assert len(problems) == 1
    assert problems[0].element.startswith("line ")
    assert "XML syntax error" in problems[0].message


def test_user_task_without_department(tmp_path):
    problems = problems_for(tmp_path, one_task_process(lane=None, task='<bpmn:userTask id="Task_A" name="审查"/>'))
    assert [(p.element, "no department" in p.message) for p in problems] == [("Task_A", True)]


def test_candidate_groups_give_a_department(tmp_path):
    task = '<bpmn:userTask id="Task_A" name="审查" camunda:candidateGroups="XF"/>'
    assert problems_for(tmp_path, one_task_process(lane=None, task=task)) == []


def test_missing_form(tmp_path):
    task = '<bpmn:userTask id="Task_A" name="审查" camunda:formKey="no_such_form"/>'
    problems = problems_for(tmp_path, one_task_process(task=task))
    assert len(problems) == 1
    assert problems[0].element == "Task_A"
    assert "no_such_form" in problems[0].message


@pytest.mark.parametrize("condition,fragment", [
    ("area_m2 &gt;", "condition"),
    ("().__class__.__base__", "condition"),
    ("__import__('os')", "condition"),
])
def test_unparseable_or_refused_condition(tmp_path, condition, fragment):
    task = '<bpmn:userTask id="Task_A" name="审查"/>'
    problems = problems_for(tmp_path, one_task_process(task=task, condition=condition))
    assert len(problems) >= 1
    assert problems[0].element == "F3"
    assert problems[0].message.startswith(fragment)


def test_hostile_script_is_refused_at_validation(tmp_path):
    task = ('<bpmn:scriptTask id="Script_A" scriptFormat="python"><bpmn:script>import os\n'
            'os.system("true")</bpmn:script></bpmn:scriptTask>')
    problems = problems_for(tmp_path, one_task_process(task=task, lane=None))
    assert problems and problems[0].element == "Script_A"
    assert "import" in problems[0].message.lower()


def test_missing_call_activity_target(tmp_path):
    task = '<bpmn:callActivity id="Call_X" calledElement="does_not_exist"/>'
    problems = problems_for(tmp_path, one_task_process(task=task, lane=None))
    assert [(p.element, "does_not_exist" in p.message) for p in problems] == [("Call_X", True)]


def test_xsd_error_names_the_element(tmp_path):
    # bpmn:startEvent may not contain a bpmn:script element.
    task = '<bpmn:userTask id="Task_A" name="x" camunda:candidateGroups="SJ"><bpmn:bogus/></bpmn:userTask>'
    problems = problems_for(tmp_path, one_task_process(task=task))
    assert len(problems) == 1
    assert "bogus" in problems[0].message


def test_not_a_bpmn_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    _, problems = validate_paths([path])
    assert "not a .bpmn file" in problems[0].message


def test_missing_path():
    _, problems = validate_paths(["/no/such/place"])
    assert problems[0].message == "no such file or folder"


def test_xml_parser_has_no_network_and_no_entities():
    root = parse_xml(b"<a><b>x</b></a>")
    assert isinstance(root, etree._Element)
